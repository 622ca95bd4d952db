import CIXCore

/// A photo fetched from another node. Its bytes are fixed by the hash its signed report
/// carries, so they cannot be re-encoded here without breaking that hash; instead they
/// must be exactly the kind of file a CIX intake writes after re-encoding — a JPEG or PNG
/// holding the image and nothing else (no EXIF, XMP, ICC profile, comment, text chunk or
/// trailing bytes), within the size limits, and decodable to the end. A node that is not
/// CIX, or that kept metadata, cannot pass its residents' data on through this node.
extension Photo {
    package static func checkFetched(_ bytes: [UInt8]) throws(PhotoError) {
        guard bytes.count <= maxUploadBytes else {
            throw PhotoError("a photo may be at most \(maxUploadBytes >> 20) MiB")
        }
        switch ImageSignature.mediaType(of: bytes) {
        case Format.jpeg.rawValue:
            try checkJPEGSegments(bytes)
            _ = try JPEGCodec.decode(bytes)
        case Format.png.rawValue:
            try checkPNGChunks(bytes)
            _ = try PNGCodec.decode(bytes)
        default:
            throw PhotoError("only JPEG and PNG photos are accepted")
        }
    }

    /// Segments a re-encoded JPEG has: JFIF, tables, frame, scans, restart intervals.
    static let plainJPEGMarkers: Set<UInt8> = [0xC0, 0xC1, 0xC2, 0xC4, 0xDB, 0xDD]

    static func checkJPEGSegments(_ bytes: [UInt8]) throws(PhotoError) {
        var offset = 2
        while true {
            guard offset + 2 <= bytes.count, bytes[offset] == 0xFF else {
                throw PhotoError("the JPEG's segments are malformed")
            }
            let marker = bytes[offset + 1]
            if marker == 0xD9 {
                guard offset + 2 == bytes.count else { throw PhotoError("the JPEG has bytes after its end") }
                return
            }
            guard offset + 4 <= bytes.count else { throw PhotoError("the JPEG's segments are malformed") }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let end = offset + 2 + length
            guard length >= 2, end <= bytes.count else { throw PhotoError("the JPEG's segments are malformed") }
            switch marker {
            case 0xE0:
                guard bytes[(offset + 4)..<end].starts(with: Array("JFIF".utf8) + [0]) else {
                    throw PhotoError("the JPEG carries an APP0 segment other than JFIF (metadata)")
                }
                offset = end
            case 0xDA:
                // The entropy-coded scan runs to the next marker that is neither a stuffed 0xFF00 nor a restart.
                var next = end
                while next + 1 < bytes.count,
                    !(bytes[next] == 0xFF && bytes[next + 1] != 0 && !(0xD0...0xD7).contains(bytes[next + 1]))
                {
                    next += 1
                }
                offset = next
            case let plain where plainJPEGMarkers.contains(plain):
                offset = end
            default:
                throw PhotoError(
                    "the JPEG carries a segment 0xFF\(String(marker, radix: 16, uppercase: true)) (metadata, comments or another encoding): it was not re-encoded"
                )
            }
        }
    }

    /// Chunks a re-encoded PNG may have: the image's own, and colour and pixel-size facts.
    static let plainPNGChunks: Set<String> = ["IHDR", "PLTE", "tRNS", "IDAT", "IEND", "sRGB", "gAMA", "cHRM", "pHYs"]

    static func checkPNGChunks(_ bytes: [UInt8]) throws(PhotoError) {
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            guard plainPNGChunks.contains(type) else {
                throw PhotoError(
                    "the PNG carries a \(type) chunk (text, time, profile or other metadata): it was not re-encoded"
                )
            }
            offset += 12 + length
            if type == "IEND" {
                guard offset == bytes.count else { throw PhotoError("the PNG has bytes after its end") }
                return
            }
        }
        throw PhotoError("the PNG's chunks are malformed")
    }
}

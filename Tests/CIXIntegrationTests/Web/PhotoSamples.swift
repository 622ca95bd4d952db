import Foundation

@testable import CIXPhoto

/// Photos carrying the metadata residents' phones add, built byte by byte.
enum PhotoSamples {
    static let gpsText = "GPSLatitude 52.228 N GPSLongitude 0.110 E"

    /// A 64×48 gradient, RGB.
    static func pixels(channels: Int) -> [UInt8] {
        var pixels: [UInt8] = []
        for y in 0..<48 {
            for x in 0..<64 { pixels += [UInt8(x * 4), UInt8(y * 5), 128, 255].prefix(channels) }
        }
        return pixels
    }

    /// A JPEG with an APP1 Exif segment (holding GPS text) right after SOI, as cameras write it.
    static func jpegWithGPS() throws -> [UInt8] {
        let plain = try JPEGCodec.encode(rgb: pixels(channels: 3), width: 64, height: 48)
        let payload = Array("Exif".utf8) + [0, 0] + Array("MM".utf8) + [0, 0x2A, 0, 0, 0, 8] + Array(gpsText.utf8)
        let length = payload.count + 2
        let segment: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        return Array(plain.prefix(2)) + segment + Array(plain.dropFirst(2))
    }

    /// A 64×48 JPEG, red on its left half and blue on its right, with an EXIF orientation
    /// (1 to 8) as a phone held sideways records it, in a big- or little-endian TIFF.
    static func jpegWithOrientation(_ orientation: UInt8, littleEndian: Bool = false) throws -> [UInt8] {
        var pixels: [UInt8] = []
        for _ in 0..<48 {
            for x in 0..<64 { pixels += x < 32 ? [230, 20, 20] : [20, 20, 230] }
        }
        let plain = try JPEGCodec.encode(rgb: pixels, width: 64, height: 48)
        func two(_ value: UInt16) -> [UInt8] {
            littleEndian ? [UInt8(value & 0xFF), UInt8(value >> 8)] : [UInt8(value >> 8), UInt8(value & 0xFF)]
        }
        func four(_ value: UInt32) -> [UInt8] {
            let big = bigEndian(value)
            return littleEndian ? big.reversed() : big
        }
        // TIFF header, then IFD0 with one entry: 0x0112 SHORT ×1 = orientation; no next IFD.
        let tiff =
            Array((littleEndian ? "II" : "MM").utf8) + two(42) + four(8) + two(1) + two(0x0112) + two(3) + four(1)
            + two(UInt16(orientation)) + [0, 0] + four(0)
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        let segment: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        return Array(plain.prefix(2)) + segment + Array(plain.dropFirst(2))
    }

    /// A PNG with a tEXt chunk (holding GPS text) right after IHDR.
    static func pngWithText() throws -> [UInt8] {
        let plain = try PNGCodec.encode(rgba: pixels(channels: 4), width: 64, height: 48)
        let data = Array("Comment".utf8) + [0] + Array(gpsText.utf8)
        let typeAndData = Array("tEXt".utf8) + data
        let length = UInt32(data.count)
        let crc = crc32(typeAndData)
        let chunk = bigEndian(length) + typeAndData + bigEndian(crc)
        let afterHeader = 8 + 25  // signature, then IHDR (4 length + 4 type + 13 data + 4 CRC)
        return Array(plain.prefix(afterHeader)) + chunk + Array(plain.dropFirst(afterHeader))
    }

    /// A PNG header that claims 100,000 × 100,000 pixels.
    static func pngBomb() throws -> [UInt8] {
        var png = try PNGCodec.encode(rgba: pixels(channels: 4), width: 64, height: 48)
        let header = Array("IHDR".utf8) + bigEndian(100_000) + bigEndian(100_000) + Array(png[24..<29])
        png.replaceSubrange(12..<29, with: header)
        png.replaceSubrange(29..<33, with: bigEndian(crc32(header)))
        return png
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// CRC-32 (ISO 3309), as PNG chunks carry it.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func contains(_ bytes: [UInt8], _ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

/// The EXIF orientation a camera records instead of turning the pixels (1 to 8, as in
/// TIFF/EXIF tag 0x0112), applied to decoded pixels before the metadata is dropped, so
/// that a portrait photo stays upright once its EXIF is gone.
enum Orientation {
    /// The orientation in a JPEG's APP1 Exif segment; 1 (as stored) when there is none or it cannot be read.
    static func read(jpeg bytes: [UInt8]) -> Int {
        var offset = 2
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            // Start of scan: no metadata segment comes later.
            if marker == 0xDA { break }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { break }
            let segment = Array(bytes[(offset + 4)..<(offset + 2 + length)])
            if marker == 0xE1, segment.starts(with: Array("Exif".utf8) + [0, 0]) {
                return tiffOrientation(Array(segment.dropFirst(6))) ?? 1
            }
            offset += 2 + length
        }
        return 1
    }

    /// Tag 0x0112 of the first image file directory of a TIFF structure, if present and in range.
    static func tiffOrientation(_ tiff: [UInt8]) -> Int? {
        guard tiff.count >= 8 else { return nil }
        let little: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func number(_ at: Int, _ size: Int) -> Int? {
            guard at >= 0, at + size <= tiff.count else { return nil }
            let field = tiff[at..<(at + size)]
            return (little ? field.reversed() : Array(field)).reduce(0) { $0 << 8 | Int($1) }
        }
        guard number(2, 2) == 42, let directory = number(4, 4), let entries = number(directory, 2) else { return nil }
        for index in 0..<min(entries, 512) {
            let entry = directory + 2 + index * 12
            guard let tag = number(entry, 2) else { return nil }
            // A SHORT: its value sits in the first two bytes of the value field.
            if tag == 0x0112, number(entry + 2, 2) == 3, let value = number(entry + 8, 2) {
                return (1...8).contains(value) ? value : nil
            }
        }
        return nil
    }

    /// `pixels` (rows of `width` pixels of `channels` bytes) turned upright for `orientation`;
    /// orientations 5 to 8 swap width and height.
    static func apply(
        _ orientation: Int,
        to pixels: [UInt8],
        width: Int,
        height: Int,
        channels: Int
    ) -> (pixels: [UInt8], width: Int, height: Int) {
        guard (2...8).contains(orientation) else { return (pixels, width, height) }
        let swaps = orientation >= 5
        let (newWidth, newHeight) = swaps ? (height, width) : (width, height)
        var turned = [UInt8](repeating: 0, count: pixels.count)
        for y in 0..<newHeight {
            for x in 0..<newWidth {
                // Where the upright pixel (x, y) is in the stored image.
                let (sx, sy): (Int, Int) =
                    switch orientation {
                    case 2: (width - 1 - x, y)
                    case 3: (width - 1 - x, height - 1 - y)
                    case 4: (x, height - 1 - y)
                    case 5: (y, x)
                    case 6: (y, height - 1 - x)
                    case 7: (width - 1 - y, height - 1 - x)
                    default: (width - 1 - y, x)
                    }
                let from = (sy * width + sx) * channels
                let to = (y * newWidth + x) * channels
                turned.replaceSubrange(to..<(to + channels), with: pixels[from..<(from + channels)])
            }
        }
        return (turned, newWidth, newHeight)
    }
}

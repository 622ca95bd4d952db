import CIXCore

/// A part of a photo to black out when a moderator cleans a report: a rectangle
/// in percent of the photo's width and height, so that it means the same part
/// whatever size the photo was shown at.
package struct MaskedArea: Sendable, Equatable {
    package let left: Double
    package let top: Double
    package let width: Double
    package let height: Double

    /// Nil unless the rectangle has an area and lies within the photo.
    package init?(left: Double, top: Double, width: Double, height: Double) {
        guard [left, top, width, height].allSatisfy({ $0.isFinite && $0 >= 0 }), width > 0, height > 0,
            left + width <= 100, top + height <= 100
        else { return nil }
        (self.left, self.top, self.width, self.height) = (left, top, width, height)
    }

    /// Reads "LEFT,TOP,WIDTH,HEIGHT" (percent), as the console and `cix redact --mask-photo` take it.
    package init?(_ text: String) {
        let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4, let left = parts[0], let top = parts[1], let width = parts[2], let height = parts[3]
        else { return nil }
        self.init(left: left, top: top, width: width, height: height)
    }

    /// The pixel rows and columns covered in an image of `width` × `height` (rounded outwards).
    func pixels(width imageWidth: Int, height imageHeight: Int) -> (columns: Range<Int>, rows: Range<Int>) {
        func span(_ start: Double, _ length: Double, _ size: Int) -> Range<Int> {
            let from = max(0, Int((start / 100 * Double(size)).rounded(.down)))
            let to = min(size, Int(((start + length) / 100 * Double(size)).rounded(.up)))
            return from..<max(from, to)
        }
        return (span(left, width, imageWidth), span(top, height, imageHeight))
    }
}

extension Photo {
    /// The stored photo with `areas` blacked out, re-encoded in its own format: the covered
    /// pixels are gone from the new file, not hidden behind a layer.
    package static func masking(_ stored: [UInt8], areas: [MaskedArea]) throws(PhotoError) -> Photo {
        guard let format = Format(rawValue: ImageSignature.mediaType(of: stored) ?? "") else {
            throw PhotoError("only JPEG and PNG photos can be masked")
        }
        var (pixels, width, height) = format == .jpeg ? try JPEGCodec.decode(stored) : try PNGCodec.decode(stored)
        paint(&pixels, width: width, height: height, channels: format == .jpeg ? 3 : 4, areas: areas)
        let bytes =
            format == .jpeg
            ? try JPEGCodec.encode(rgb: pixels, width: width, height: height)
            : try PNGCodec.encode(rgba: pixels, width: width, height: height)
        return Photo(bytes: bytes, format: format, width: width, height: height)
    }

    /// Sets every channel of the covered pixels to black (and opaque, for RGBA).
    static func paint(_ pixels: inout [UInt8], width: Int, height: Int, channels: Int, areas: [MaskedArea]) {
        for area in areas {
            let (columns, rows) = area.pixels(width: width, height: height)
            for row in rows {
                for column in columns {
                    let start = (row * width + column) * channels
                    for channel in 0..<channels { pixels[start + channel] = channel == 3 ? 255 : 0 }
                }
            }
        }
    }
}

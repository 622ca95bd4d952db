import CPNG

/// PNG through libpng's simplified API, which reports errors in the image struct
/// rather than by longjmp.
enum PNGCodec {
    /// PNG_FORMAT_RGBA (colour | alpha), a macro Swift cannot import.
    static let rgba: UInt32 = 0x1 | 0x2

    static func reencode(_ upload: [UInt8]) throws(PhotoError) -> Photo {
        let (pixels, width, height) = try decode(upload)
        return Photo(
            bytes: try encode(rgba: pixels, width: width, height: height),
            format: .png,
            width: width,
            height: height
        )
    }

    /// RGBA pixels, within the size limit (checked from the header, before decoding).
    static func decode(_ upload: [UInt8]) throws(PhotoError) -> (pixels: [UInt8], width: Int, height: Int) {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        guard png_image_begin_read_from_memory(&image, upload, upload.count) != 0 else {
            throw PhotoError("not a readable PNG: \(message(&image))")
        }
        try Photo.checkSize(width: Int(image.width), height: Int(image.height))
        image.format = rgba
        let stride = Int(image.width) * 4
        var pixels = [UInt8](repeating: 0, count: stride * Int(image.height))
        guard png_image_finish_read(&image, nil, &pixels, Int32(stride), nil) != 0 else {
            throw PhotoError("not a readable PNG: \(message(&image))")
        }
        return (pixels, Int(image.width), Int(image.height))
    }

    /// A PNG of RGBA pixels with no ancillary chunks.
    static func encode(rgba pixels: [UInt8], width: Int, height: Int) throws(PhotoError) -> [UInt8] {
        let stride = width * 4
        var written = png_image()
        written.version = UInt32(PNG_IMAGE_VERSION)
        written.width = UInt32(width)
        written.height = UInt32(height)
        written.format = rgba
        var size = 0
        guard png_image_write_to_memory(&written, nil, &size, 0, pixels, Int32(stride), nil) != 0, size > 0 else {
            throw PhotoError("cannot encode the photo: \(message(&written))")
        }
        var output = [UInt8](repeating: 0, count: size)
        guard png_image_write_to_memory(&written, &output, &size, 0, pixels, Int32(stride), nil) != 0 else {
            throw PhotoError("cannot encode the photo: \(message(&written))")
        }
        return Array(output.prefix(size))
    }

    static func message(_ image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }
}

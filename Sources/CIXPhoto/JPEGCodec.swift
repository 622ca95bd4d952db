import CTurboJPEG

/// JPEG through libjpeg-turbo's TurboJPEG API, which reports errors by return code.
enum JPEGCodec {
    /// Quality of re-encoded photos: visually lossless for photos of street faults.
    static let quality: Int32 = 85

    /// Decodes, turns the pixels upright by the EXIF orientation, and encodes them afresh.
    static func reencode(_ upload: [UInt8]) throws(PhotoError) -> Photo {
        let (stored, storedWidth, storedHeight) = try decode(upload)
        let (pixels, width, height) = Orientation.apply(
            Orientation.read(jpeg: upload),
            to: stored,
            width: storedWidth,
            height: storedHeight,
            channels: 3
        )
        return Photo(
            bytes: try encode(rgb: pixels, width: width, height: height),
            format: .jpeg,
            width: width,
            height: height
        )
    }

    /// RGB pixels, within the size limit (checked from the header, before decoding).
    static func decode(_ upload: [UInt8]) throws(PhotoError) -> (pixels: [UInt8], width: Int, height: Int) {
        guard let decoder = tjInitDecompress() else { throw PhotoError("cannot start the JPEG decoder") }
        defer { tjDestroy(decoder) }
        var width: Int32 = 0
        var height: Int32 = 0
        var subsampling: Int32 = 0
        var colorspace: Int32 = 0
        guard tjDecompressHeader3(decoder, upload, UInt(upload.count), &width, &height, &subsampling, &colorspace) == 0
        else { throw PhotoError("not a readable JPEG: \(message(decoder))") }
        try Photo.checkSize(width: Int(width), height: Int(height))
        let format = Int32(TJPF_RGB.rawValue)
        var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height) * 3)
        guard tjDecompress2(decoder, upload, UInt(upload.count), &pixels, width, 0, height, format, 0) == 0 else {
            throw PhotoError("not a readable JPEG: \(message(decoder))")
        }
        return (pixels, Int(width), Int(height))
    }

    /// A baseline JPEG of RGB pixels, with nothing but the image in it.
    static func encode(rgb pixels: [UInt8], width: Int, height: Int) throws(PhotoError) -> [UInt8] {
        guard let encoder = tjInitCompress() else { throw PhotoError("cannot start the JPEG encoder") }
        defer { tjDestroy(encoder) }
        var output: UnsafeMutablePointer<UInt8>? = nil
        var outputSize: UInt = 0
        defer { tjFree(output) }
        let format = Int32(TJPF_RGB.rawValue)
        guard
            tjCompress2(
                encoder,
                pixels,
                Int32(width),
                0,
                Int32(height),
                format,
                &output,
                &outputSize,
                Int32(TJSAMP_420.rawValue),
                quality,
                0
            ) == 0, let output
        else { throw PhotoError("cannot encode the photo: \(message(encoder))") }
        return Array(UnsafeBufferPointer(start: output, count: Int(outputSize)))
    }

    static func message(_ handle: tjhandle) -> String {
        tjGetErrorStr2(handle).map { String(cString: $0) } ?? "unknown error"
    }
}

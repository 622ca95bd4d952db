import CIXCore
import Foundation

/// A photo as it is kept and federated: pixels re-encoded from scratch, so
/// that nothing of the upload but its image survives — no EXIF, GPS, XMP,
/// ICC profile, comments or trailing bytes.
package struct Photo: Sendable, Equatable {
    package enum Format: String, Sendable {
        case jpeg = "image/jpeg"
        case png = "image/png"
    }

    package let bytes: [UInt8]
    package let format: Format
    package let width: Int
    package let height: Int

    /// Largest accepted upload, in bytes.
    package static let maxUploadBytes = 10 << 20
    /// Largest accepted image, in pixels (decompression bombs are refused before decoding).
    package static let maxPixels = 40_000_000

    /// Decodes an upload (JPEG or PNG, recognised by content, not by name)
    /// and re-encodes it in the same format.
    package static func sanitize(_ upload: [UInt8]) throws(PhotoError) -> Photo {
        guard !upload.isEmpty else { throw PhotoError("the photo is empty") }
        guard upload.count <= maxUploadBytes else {
            throw PhotoError("a photo may be at most \(maxUploadBytes >> 20) MiB")
        }
        switch ImageSignature.mediaType(of: upload) {
        case Format.jpeg.rawValue: return try JPEGCodec.reencode(upload)
        case Format.png.rawValue: return try PNGCodec.reencode(upload)
        default: throw PhotoError("only JPEG and PNG photos are accepted")
        }
    }

    static func checkSize(width: Int, height: Int) throws(PhotoError) {
        guard width > 0, height > 0 else { throw PhotoError("the photo has no pixels") }
        guard width * height <= maxPixels else {
            throw PhotoError(
                "the photo is \(width)×\(height); at most \(maxPixels / 1_000_000) megapixels are accepted"
            )
        }
    }
}

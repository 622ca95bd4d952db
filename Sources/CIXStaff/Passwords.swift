import HummingbirdBcrypt
import NIOPosix

/// Staff passwords: bcrypt, computed on NIO's thread pool so that a sign-in
/// never holds an event loop for the quarter second a hash takes.
package enum Passwords {
    /// Long enough for a passphrase, short of bcrypt's 72-byte limit being the only cap.
    package static let lengths = 12...128
    /// bcrypt's work factor (2^12 rounds).
    package static let cost: UInt8 = 12

    /// Nil if acceptable, else what is wrong with it.
    package static func problem(_ password: String) -> String? {
        if password.count < lengths.lowerBound {
            return "the password must be at least \(lengths.lowerBound) characters"
        }
        if password.count > lengths.upperBound {
            return "the password must be at most \(lengths.upperBound) characters"
        }
        if password.utf8.count > 72 {
            // bcrypt reads only the first 72 bytes; a longer password would silently lose its tail.
            return "the password must be at most 72 bytes in UTF-8 (bcrypt reads no more)"
        }
        return nil
    }

    package static func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    package static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Blocking: for the command line only.
    package static func hashNow(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }
}

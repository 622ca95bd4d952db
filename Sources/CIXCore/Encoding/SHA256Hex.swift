import Crypto

/// SHA-256 as the protocol writes it: 64 lower-case hexadecimal digits.
public enum SHA256Hex {
    public static func hash(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        let hashedInPlace: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
        }
        if hashedInPlace == nil { hasher.update(data: Array(bytes)) }
        return Hex.encode(hasher.finalize())
    }
}

import CIXStore
import GRDB

extension StoreError {
    /// A failure of SQLite, classified: full, I/O errors (a failed sync among
    /// them), busy, locked, out of memory or unopenable are storage faults.
    static func database(_ operation: String, cause: any Error) -> StoreError {
        let faults: [ResultCode] = [
            .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_NOMEM, .SQLITE_CANTOPEN,
        ]
        let isFault = (cause as? DatabaseError).map { faults.contains($0.resultCode.primaryResultCode) } ?? false
        return .backend(operation, cause: cause, storageFault: isFault)
    }
}

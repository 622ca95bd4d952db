import CIXStore
import GRDB

extension StoreError {
    /// A failure of SQLite, classified: full, I/O errors (a failed sync among
    /// them), busy, locked, out of memory or unopenable are storage faults.
    static func database(_ operation: String, cause: any Error) -> StoreError {
        let faults: [ResultCode] = [
            .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_NOMEM, .SQLITE_CANTOPEN,
        ]
        guard let code = (cause as? DatabaseError)?.resultCode.primaryResultCode, faults.contains(code) else {
            return .backend(operation, cause: cause, storageFault: false)
        }
        return .backend("\(operation) (\(fault(code)))", cause: cause, storageFault: true)
    }

    /// The storage fault in an operator's words.
    static func fault(_ code: ResultCode) -> String {
        switch code {
        case .SQLITE_FULL: "the disk is full"
        case .SQLITE_IOERR: "an I/O error, perhaps a failed sync"
        case .SQLITE_BUSY, .SQLITE_LOCKED: "the database is busy or locked"
        case .SQLITE_NOMEM: "out of memory"
        default: "the database file cannot be opened"
        }
    }
}

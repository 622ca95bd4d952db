import Foundation

/// Decodes and verifies events on every core.
///
/// Signature verification bounds ingest, so a batch is split into one slice
/// per core and each slice is verified in its own child task.
public enum ParallelDecoder {
    public static func decode(
        _ items: [(line: Int, bytes: [UInt8])]
    ) async -> [(line: Int, result: Result<Event, CoreError>)] {
        let slices = max(1, min(System.cores, items.count / 64))
        let size = (items.count + slices - 1) / max(slices, 1)
        return await withTaskGroup(of: (Int, [(line: Int, result: Result<Event, CoreError>)]).self) { group in
            for slice in 0..<slices {
                let part = Array(items[min(slice * size, items.count)..<min((slice + 1) * size, items.count)])
                group.addTask {
                    (
                        slice,
                        part.map { item in (item.line, Result { () throws(CoreError) in try Event.decode(item.bytes) })
                        }
                    )
                }
            }
            var parts = [[(line: Int, result: Result<Event, CoreError>)]](repeating: [], count: slices)
            for await (slice, decoded) in group { parts[slice] = decoded }
            return parts.flatMap { $0 }
        }
    }
}

/// Facts about the machine.
enum System {
    static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}

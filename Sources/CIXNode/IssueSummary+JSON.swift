import CIXCanonicalJSON
import CIXCore
import CIXStore

extension IssueSummary {
    /// The summary as `cix issue list --json` prints it and `/api/v1/issues` serves it.
    package var json: JSONObject {
        var object = JSONObject([
            "id": .string(id), "origin": .string(origin), "status": .string(status),
            "reported_at": .string(Timestamp(secondsSinceEpoch: reportedAt).description),
            "updated_at": .string(Timestamp(secondsSinceEpoch: updatedAt).description),
            "confirmations": .number(Double(confirmations)), "comments": .number(Double(comments)),
            "solutions": .number(Double(solutions)), "offers": .number(Double(offers)),
        ])
        object["category"] = category.map { .string($0) } ?? .null
        object["title"] = title.map { .string($0) } ?? .null
        if let latitude, let longitude {
            object["location"] = .object(JSONObject(["lat": .number(latitude), "lon": .number(longitude)]))
        }
        return object
    }
}

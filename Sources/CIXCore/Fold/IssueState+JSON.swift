import CIXCanonicalJSON

/// The state's canonical JSON form: what `cix issue show --json` prints,
/// what the store keeps as the projection, and what the fold vectors in
/// `Protocol/vectors/fold/` hold.
extension IssueState {
    public var json: JSONObject {
        var object = JSONObject([
            "id": .string(id.hex), "origin": .string(origin.hex), "reported_at": .string(reportedAt.description),
            "updated_at": .string(updatedAt.description), "status": .string(overall.rawValue),
            "routed": .bool(routed), "max_depth": .number(Double(maxDepth)),
            "heads": .array(heads.map { .string($0.hex) }),
            "counts": .object(
                JSONObject([
                    "confirmations": .number(Double(counts.confirmations)),
                    "comments": .number(Double(counts.comments)),
                    "solutions": .number(Double(counts.solutions)), "offers": .number(Double(counts.offers)),
                ])
            ),
            "agencies": .array(agencies.keys.sorted().compactMap { agencies[$0].map { .object($0.json) } }),
            "contributions": .array(contributions.map { .object($0.json) }),
            "timeline": .array(timeline.map { .object($0.json) }),
        ])
        if let report {
            var content = JSONObject([
                "title": .string(report.title), "description": .string(report.description),
                "category": .string(report.category), "tags": .array(report.tags.map { .string($0) }),
                "location": .object(report.location.json),
                "attachments": .array(report.attachments.map { .object($0.json) }),
                "reporter": .string(report.reporter),
            ])
            if let replacedBy = report.replacedBy { content["replaced_by"] = .string(replacedBy.hex) }
            object["report"] = .object(content)
        } else {
            object["report"] = .null
        }
        if let duplicateOf {
            var link = JSONObject(["issue": .string(duplicateOf.issue.hex)])
            if let node = duplicateOf.node { link["node"] = .string(node.hex) }
            object["duplicate_of"] = .object(link)
        }
        return object
    }

    /// The canonical bytes of `json`; equal states have equal bytes.
    public func canonicalBytes() -> [UInt8] {
        // Every value in the state came from validated events, so it always has a canonical form.
        (try? JSONValue.object(json).canonicalBytes()) ?? []
    }
}

extension IssueState.AgencyPart {
    var json: JSONObject {
        var object = JSONObject([
            "node": .string(node.hex), "role": .string(role.rawValue), "status": .string(status.rawValue),
            "last_event": .string(lastEvent.hex),
        ])
        if let reason { object["reason"] = .string(reason) }
        if let note { object["note"] = .string(note) }
        if let routedBy { object["routed_by"] = .string(routedBy.hex) }
        return object
    }
}

extension IssueState.Contribution {
    var json: JSONObject {
        var object = JSONObject([
            "event": .string(event.hex), "kind": .string(kind.rawValue), "author": .string(author.hex),
            "at": .string(at.description),
        ])
        object["body"] = content.map { .object($0.json) } ?? .null
        if let replacedBy { object["replaced_by"] = .string(replacedBy.hex) }
        return object
    }
}

extension IssueState.TimelineEntry {
    var json: JSONObject {
        var object = JSONObject([
            "event": .string(event.hex), "kind": .string(kind.rawValue), "author": .string(author.hex),
            "at": .string(at.description), "effect": .string(effect.rawValue),
        ])
        if let reason { object["reason"] = .string(reason) }
        return object
    }
}

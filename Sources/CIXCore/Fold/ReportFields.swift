import CIXCanonicalJSON

/// Reads a report's fields from an `issue.report` or `issue.edit` body.
enum ReportFields {
    static func content(from body: JSONObject) -> IssueState.ReportContent {
        IssueState.ReportContent(
            title: body["title"]?.stringValue ?? "",
            description: body["description"]?.stringValue ?? "",
            category: body["category"]?.stringValue ?? "",
            tags: (body["tags"]?.arrayValue ?? []).compactMap(\.stringValue),
            location: body["location"]?.objectValue ?? JSONObject(),
            attachments: body["attachments"]?.arrayValue ?? [],
            reporter: body["reporter"]?.stringValue ?? "")
    }

    /// Replaces each field the edit names.
    static func edit(_ content: inout IssueState.ReportContent, with body: JSONObject) {
        if let title = body["title"]?.stringValue { content.title = title }
        if let description = body["description"]?.stringValue { content.description = description }
        if let category = body["category"]?.stringValue { content.category = category }
        if let tags = body["tags"]?.arrayValue { content.tags = tags.compactMap(\.stringValue) }
        if let location = body["location"]?.objectValue { content.location = location }
    }
}

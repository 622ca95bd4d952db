import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXStore

/// Issues as data: the JSON API, GeoJSON (RFC 7946) and CSV (RFC 4180).
package enum IssueData {
    /// `{"issues": [...], "next": URL or null}`; the summaries are the ones `cix issue list --json` prints.
    package static func list(_ issues: [IssueSummary], filter: IssueFilter, site: Site) -> JSONValue {
        let shown = issues.prefix(filter.perPage)
        var object = JSONObject()
        object["issues"] = .array(
            shown.map { summary in
                var json = summary.json
                json["category_name"] = .string(Site.categoryName(summary.category))
                json["origin_name"] = .string(site.name(of: summary.origin))
                return .object(json)
            }
        )
        object["next"] =
            issues.count > filter.perPage
            ? .string("/api/v1/issues" + filter.queryString(page: filter.page + 1)) : .null
        return .object(object)
    }

    /// A FeatureCollection of points, [longitude, latitude] as RFC 7946 orders them.
    package static func geoJSON(_ issues: [IssueSummary], site: Site) -> JSONValue {
        let features = issues.compactMap { issue -> JSONValue? in
            guard let latitude = issue.latitude, let longitude = issue.longitude else { return nil }
            let properties = JSONObject([
                "id": .string(issue.id), "title": .string(issue.title ?? "[report removed]"),
                "status": .string(issue.status),
                "category": issue.category.map { .string($0) } ?? .null,
                "category_name": .string(Site.categoryName(issue.category)), "url": .string("/issues/\(issue.id)"),
                "confirmations": .number(Double(issue.confirmations)),
                "updated_at": .string(Timestamp(secondsSinceEpoch: issue.updatedAt).description),
            ])
            return .object(
                JSONObject([
                    "type": .string("Feature"), "id": .string(issue.id),
                    "geometry": .object(
                        JSONObject([
                            "type": .string("Point"), "coordinates": .array([.number(longitude), .number(latitude)]),
                        ])
                    ),
                    "properties": .object(properties),
                ])
            )
        }
        return .object(JSONObject(["type": .string("FeatureCollection"), "features": .array(features)]))
    }

    /// The areas of every node that declares one, as Features carrying the node's name.
    package static func areas(_ descriptors: [NodeDescriptor]) -> JSONValue {
        let features = descriptors.compactMap { descriptor -> JSONValue? in
            guard let area = descriptor.area else { return nil }
            let geometry: JSONValue = area["type"]?.stringValue == "Feature" ? area["geometry"] ?? .null : .object(area)
            guard case .object = geometry else { return nil }
            return .object(
                JSONObject([
                    "type": .string("Feature"), "id": .string(descriptor.node.hex), "geometry": geometry,
                    "properties": .object(
                        JSONObject([
                            "name": .string(descriptor.name), "kind": .string(descriptor.kind.rawValue),
                            "url": .string("/issues?agency=\(descriptor.node.hex)"),
                        ])
                    ),
                ])
            )
        }
        return .object(JSONObject(["type": .string("FeatureCollection"), "features": .array(features)]))
    }

    package static let csvColumns = [
        "id", "title", "status", "category", "category_name", "latitude", "longitude", "reported_at", "updated_at",
        "confirmations", "comments", "solutions", "offers", "origin", "origin_name", "url",
    ]

    /// One header line and one line per issue, CRLF-terminated. Cells that a
    /// spreadsheet would run as a formula get a leading apostrophe.
    package static func csv(_ issues: [IssueSummary], site: Site) -> String {
        var lines = [csvColumns.joined(separator: ",")]
        for issue in issues {
            let cells: [String] = [
                issue.id, issue.title ?? "", issue.status, issue.category ?? "", Site.categoryName(issue.category),
                issue.latitude.map { String($0) } ?? "", issue.longitude.map { String($0) } ?? "",
                Timestamp(secondsSinceEpoch: issue.reportedAt).description,
                Timestamp(secondsSinceEpoch: issue.updatedAt).description, String(issue.confirmations),
                String(issue.comments), String(issue.solutions), String(issue.offers), issue.origin,
                site.name(of: issue.origin), "\(site.baseURL)/issues/\(issue.id)",
            ]
            lines.append(cells.map(CSVCell.text).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

}

import CIXStore

/// The roles an organisation's groups give on this node, from `[staff.openid.roles]`:
/// a value of the roles claim → a role, optionally for some categories and
/// some named areas (`"case-officer:pothole,street_light@North Ward,Riverside"`).
/// Applied at every sign-in, so a change at the provider takes effect the next
/// time the person signs in.
package struct RoleMapping: Sendable, Equatable {
    package let grantsByValue: [String: [StaffGrant]]

    /// Reads the configured table; throws on an unknown role or area (`areaNames`: the
    /// node's named areas), naming the entry.
    package init(_ table: [String: String], areaNames: [String] = []) throws(StaffError) {
        var grants: [String: [StaffGrant]] = [:]
        for (value, entry) in table {
            let sides = entry.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
            let text = String(sides[0])
            let areas = sides.count == 2 ? sides[1].split(separator: ",").map { String($0).trimmed } : []
            for area in areas where !areaNames.contains(area) {
                throw StaffError(
                    .invalidInput,
                    "[staff.openid.roles] \"\(value)\" = \"\(entry)\": unknown area \(area); [staff] areas_file names \(areaNames.isEmpty ? "none" : areaNames.joined(separator: ", "))"
                )
            }
            let parts = text.split(separator: ":", maxSplits: 1)
            let role = parts.first.map { String($0).trimmed } ?? ""
            guard StaffRole(rawValue: role) != nil else {
                throw StaffError(
                    .invalidInput,
                    "[staff.openid.roles] \"\(value)\" = \"\(entry)\": \(role.isEmpty ? "no role" : "unknown role \(role)"); roles are \(StaffRole.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            let categories = parts.count == 2 ? parts[1].split(separator: ",").map { String($0).trimmed } : []
            grants[value, default: []].append(
                StaffGrant(
                    role: role,
                    categories: categories.filter { !$0.isEmpty },
                    areas: areas.filter { !$0.isEmpty }
                )
            )
        }
        grantsByValue = grants
    }

    /// The grants for a person with these claim values, each once, in a stable order; empty if none maps.
    package func grants(for values: [String]) -> [StaffGrant] {
        Array(Set(values.flatMap { grantsByValue[$0] ?? [] })).sorted {
            ($0.role, $0.categories.joined(separator: ","), $0.areas.joined(separator: ","))
                < ($1.role, $1.categories.joined(separator: ","), $1.areas.joined(separator: ","))
        }
    }
}

extension String {
    fileprivate var trimmed: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

/// The cases one staff grant reaches: some categories, some named areas, or
/// both (nil: no limit on that side). A list of scopes reaches a case that
/// any one of them reaches.
package struct CaseScope: Sendable, Hashable {
    /// Category codes, or nil for every category.
    package var categories: [String]?
    /// Names of `[staff] areas_file` areas, or nil for everywhere.
    package var areas: [String]?

    package init(categories: [String]? = nil, areas: [String]? = nil) {
        self.categories = categories?.sorted()
        self.areas = areas?.sorted()
    }

    /// The scope of one grant.
    package init(_ grant: StaffGrant) {
        self.init(
            categories: grant.categories.isEmpty ? nil : grant.categories,
            areas: grant.areas.isEmpty ? nil : grant.areas
        )
    }
}

/// A named street or place and where it is: what a resident can search for when placing a report.
package struct Place: Sendable, Equatable {
    package let name: String
    /// What it is, as the source says ("street", "village", "park"); may be empty.
    package let kind: String
    package let latitude: Double
    package let longitude: Double

    package init(name: String, kind: String, latitude: Double, longitude: Double) {
        self.name = name
        self.kind = kind
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// The node's gazetteer: the streets and places of its area, searched by name.
package protocol GazetteerStore: Sendable {
    /// Replaces the whole gazetteer with `places`, in one transaction.
    func replaceGazetteer(_ places: [Place]) throws(StoreError)
    /// Places whose name has every word given (the last as a prefix), best first.
    func places(matching text: String, limit: Int) throws(StoreError) -> [Place]
    /// Whether any place is held (asked by every report page, so it reads one row, not the table).
    func hasPlaces() throws(StoreError) -> Bool
}

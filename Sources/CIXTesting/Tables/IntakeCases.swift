/// One report as a resident might send it through any intake (web form,
/// Open311, CLI, console), and what every intake must make of it.
///
/// Titles are the first line of the description, so that Open311 (which has
/// no title and takes the description's first line) gets the same report.
package struct IntakeCase: Sendable {
    package let name: String
    package let title: String
    package let description: String
    package let category: String
    package let latitude: Double?
    package let longitude: Double?
    package let email: String?
    /// Nil when the report must be taken; else the field whose problem refuses it.
    package let refusedFor: String?
    /// What a taken report must carry once signed (normalised text).
    package let storedTitle: String?
    package let storedDescription: String?

    package var isAccepted: Bool { refusedFor == nil }

    package static let all: [IntakeCase] = [
        IntakeCase(
            name: "CRLF line breaks become LF",
            title: "Pothole on Mill Lane",
            description: "Pothole on Mill Lane\r\nDeep, by the bus stop.\r\nCars swerve.",
            category: "pothole",
            latitude: 52.2053,
            longitude: 0.1218,
            email: "ann@example.org",
            refusedFor: nil,
            storedTitle: "Pothole on Mill Lane",
            storedDescription: "Pothole on Mill Lane\nDeep, by the bus stop.\nCars swerve."
        ),
        IntakeCase(
            name: "tabs become spaces",
            title: "Broken\tlight",
            description: "Broken\tlight\rBy the church\tgate",
            category: "street_lighting",
            latitude: 52.2,
            longitude: 0.12,
            email: nil,
            refusedFor: nil,
            storedTitle: "Broken light",
            storedDescription: "Broken light\nBy the church gate"
        ),
        IntakeCase(
            name: "unknown category",
            title: "Unicorns",
            description: "Unicorns\nin the park",
            category: "unicorns",
            latitude: 52.2,
            longitude: 0.12,
            email: nil,
            refusedFor: "category",
            storedTitle: nil,
            storedDescription: nil
        ),
        IntakeCase(
            name: "latitude out of range",
            title: "Litter",
            description: "Litter\neverywhere",
            category: "litter",
            latitude: 95,
            longitude: 0.12,
            email: nil,
            refusedFor: "location",
            storedTitle: nil,
            storedDescription: nil
        ),
        IntakeCase(
            name: "a control character",
            title: "Bell\u{7}",
            description: "Bell\u{7}\nrings",
            category: "noise",
            latitude: 52.2,
            longitude: 0.12,
            email: nil,
            refusedFor: "title",
            storedTitle: nil,
            storedDescription: nil
        ),
        IntakeCase(
            name: "description too long",
            title: "Graffiti",
            description: "Graffiti\n" + String(repeating: "x", count: 8_000),
            category: "graffiti",
            latitude: 52.2,
            longitude: 0.12,
            email: nil,
            refusedFor: "description",
            storedTitle: nil,
            storedDescription: nil
        ),
        IntakeCase(
            name: "not an email address",
            title: "Fly-tipping",
            description: "Fly-tipping\nby the canal",
            category: "fly_tipping",
            latitude: 52.2,
            longitude: 0.12,
            email: "not-an-email",
            refusedFor: "email",
            storedTitle: nil,
            storedDescription: nil
        ),
    ]
}

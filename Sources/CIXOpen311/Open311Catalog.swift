import CIXRouting

/// The services a node offers through Open311: one per taxonomy category,
/// with attributes where a category asks extra questions.
package enum Open311Catalog {
    package struct Attribute: Sendable {
        package let code: String
        package let datatype: String
        package let required: Bool
        package let description: String
        package let values: [(key: String, name: String)]
    }

    /// Extra questions per category code.
    package static let attributes: [String: [Attribute]] = [
        "pothole": [
            Attribute(
                code: "depth",
                datatype: "singlevaluelist",
                required: false,
                description: "How deep is it?",
                values: [
                    ("shallow", "Less than 5 cm"), ("deep", "5 cm or more"),
                    ("dangerous", "Deep enough to damage a wheel"),
                ]
            )
        ],
        "abandoned_vehicle": [
            Attribute(
                code: "registration",
                datatype: "string",
                required: false,
                description: "Registration number, if visible",
                values: []
            )
        ],
        "bins": [
            Attribute(
                code: "property_reference",
                datatype: "string",
                required: false,
                description: "Property reference (UPRN), if known",
                values: []
            ),
            Attribute(
                code: "bin_type",
                datatype: "singlevaluelist",
                required: true,
                description: "Which bin?",
                values: [
                    ("general", "General waste"), ("recycling", "Recycling"), ("garden", "Garden waste"),
                    ("food", "Food waste"),
                ]
            ),
        ],
    ]

    package static func service(_ category: Taxonomy.Category) -> Open311Document {
        .item([
            ("service_code", .text(category.open311)), ("service_name", .text(category.name)),
            ("description", .text(category.description)), ("metadata", .bool(attributes[category.code] != nil)),
            ("type", .text("realtime")), ("keywords", .text(category.keywords.joined(separator: ","))),
            ("group", .text(category.group)),
        ])
    }

    package static func definition(_ category: Taxonomy.Category) -> Open311Document {
        let list = (attributes[category.code] ?? []).enumerated().map { order, attribute in
            Open311Document.item([
                ("variable", .bool(true)), ("code", .text(attribute.code)), ("datatype", .text(attribute.datatype)),
                ("required", .bool(attribute.required)), ("datatype_description", .text("")),
                ("order", .number(Double(order + 1))),
                ("description", .text(attribute.description)),
                (
                    "values",
                    .list(
                        container: "values",
                        element: "value",
                        attribute.values.map {
                            .item([("key", .text($0.key)), ("name", .text($0.name))])
                        }
                    )
                ),
            ])
        }
        return .root(
            "service_definition",
            .item([
                ("service_code", .text(category.open311)),
                ("attributes", .list(container: "attributes", element: "attribute", list)),
            ])
        )
    }

    /// Checks `attribute[code]` values against the definition: required ones present, list values known, no unknown codes
    /// except the FixMyStreet extras it always sends, which are kept as given.
    package static func validate(_ values: [String: String], for category: Taxonomy.Category) -> String? {
        let defined = attributes[category.code] ?? []
        for attribute in defined {
            let value = values[attribute.code]
            if attribute.required, value?.isEmpty ?? true {
                return "attribute[\(attribute.code)] is required for \(category.open311)"
            }
            if let value, !value.isEmpty, attribute.datatype == "singlevaluelist",
                !attribute.values.contains(where: { $0.key == value })
            {
                return
                    "attribute[\(attribute.code)] must be one of \(attribute.values.map(\.key).joined(separator: ", "))"
            }
        }
        return nil
    }
}

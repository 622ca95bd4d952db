import CIXCanonicalJSON

/// The JSON Schema files published in `Protocol/schemas/`, generated from the
/// tables the code validates with.
public enum ProtocolSchemas {
    /// (file name, pretty-printed JSON) for every schema.
    public static func files() -> [(String, String)] {
        var files: [(String, String)] = []
        var envelope = EventSchemas.envelope.jsonSchema(
            description: "A CIX v1 event envelope (the event without body)."
        )
        envelope["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        files.append(("envelope.schema.json", PrettyJSON.render(.object(envelope))))
        for kind in EventKind.allCases {
            var schema = EventSchemas.body(kind).jsonSchema(description: "Body of a CIX v1 \(kind.rawValue) event.")
            schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
            files.append(("body.\(kind.rawValue).schema.json", PrettyJSON.render(.object(schema))))
        }
        var statement = KeyStatement.schema.jsonSchema(description: "A CIX v1 key statement (key.add or key.revoke).")
        statement["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        files.append(("key-statement.schema.json", PrettyJSON.render(.object(statement))))
        var descriptor = NodeDescriptor.schema.jsonSchema(description: "A CIX v1 node descriptor.")
        descriptor["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        files.append(("node-descriptor.schema.json", PrettyJSON.render(.object(descriptor))))
        files.append(("export-line.schema.json", PrettyJSON.render(.object(exportLine))))
        var card = ContactCard.schema.jsonSchema(
            description:
                "The plaintext of a CIX v1 contact event's ciphertext: its canonical JSON is what is sealed (events.md, Sealed contact details)."
        )
        card["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        files.append(("contact-card.schema.json", PrettyJSON.render(.object(card))))
        return files
    }

    /// One line of an export file (`Protocol/export.md`): which record it is, by `type`.
    static var exportLine: JSONObject {
        let event = JSONObject([
            "description":
                "An event: without `body` it matches envelope.schema.json, and `body`, if present, matches body.KIND.schema.json for its `kind` (events.md, Verification).",
            "type": "object", "required": .array(["cix", "kind", "author", "key", "at", "id", "sig"]),
            "not": .object(JSONObject(["required": .array(["type"])])),
        ])
        return JSONObject([
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "description":
                "One line of a CIX v1 export (Protocol/export.md): a key statement or a node descriptor, told apart by `type`, or an event, which has no `type`.",
            "oneOf": .array([
                .object(JSONObject(["$ref": "key-statement.schema.json"])),
                .object(JSONObject(["$ref": "node-descriptor.schema.json"])),
                .object(event),
            ]),
        ])
    }
}

/// Indented JSON for files people read (members in canonical order).
public enum PrettyJSON {
    public static func render(_ value: JSONValue) -> String {
        var output = ""
        write(value, indent: "", into: &output)
        return output + "\n"
    }

    static func write(_ value: JSONValue, indent: String, into output: inout String) {
        let inner = indent + "  "
        switch value {
        case .array(let elements) where !elements.isEmpty:
            output += "[\n"
            for (position, element) in elements.enumerated() {
                output += inner
                write(element, indent: inner, into: &output)
                output += position == elements.count - 1 ? "\n" : ",\n"
            }
            output += indent + "]"
        case .object(let object) where object.count > 0:
            output += "{\n"
            for (position, member) in object.members.enumerated() {
                output += inner + ((try? JSONValue.string(member.name).canonicalString()) ?? "\"\"") + ": "
                write(member.value, indent: inner, into: &output)
                output += position == object.count - 1 ? "\n" : ",\n"
            }
            output += indent + "}"
        default:
            output += (try? value.canonicalString()) ?? "null"
        }
    }
}

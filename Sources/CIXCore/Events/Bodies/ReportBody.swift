import CIXCanonicalJSON

/// Where a fault is: WGS84 degrees, with the address as given and a radius of uncertainty.
public struct Location: Sendable, Equatable {
    public var latitude: Double
    public var longitude: Double
    public var address: String?
    /// Metres.
    public var accuracy: Double?

    public init(latitude: Double, longitude: Double, address: String? = nil, accuracy: Double? = nil) {
        self.latitude = latitude
        self.longitude = longitude
        self.address = address
        self.accuracy = accuracy
    }

    init(_ object: JSONObject) {
        latitude = object["lat"]?.numberValue ?? 0
        longitude = object["lon"]?.numberValue ?? 0
        address = object["address"]?.stringValue
        accuracy = object["accuracy"]?.numberValue
    }

    public var json: JSONObject {
        var object = JSONObject(["lat": .number(latitude), "lon": .number(longitude)])
        if let address { object["address"] = .string(address) }
        if let accuracy { object["accuracy"] = .number(accuracy) }
        return object
    }
}

/// A photo named by the SHA-256 of its bytes; the bytes travel apart, fetched on demand.
public struct Attachment: Sendable, Equatable {
    public var hash: String
    public var type: String
    public var size: Int64

    public init(hash: String, type: String, size: Int64) {
        self.hash = hash
        self.type = type
        self.size = size
    }

    init(_ object: JSONObject) {
        hash = object["hash"]?.stringValue ?? ""
        type = object["type"]?.stringValue ?? ""
        size = Int64(object["size"]?.numberValue ?? 0)
    }

    public var json: JSONObject {
        JSONObject(["hash": .string(hash), "type": .string(type), "size": .number(Double(size))])
    }

    static func list(_ attachments: [Attachment]) -> JSONValue? {
        if attachments.isEmpty { return Optional.none }
        return .array(attachments.map { .object($0.json) })
    }
}

/// `issue.report`: what a resident saw, where, and under which category.
public struct ReportBody: Sendable, Equatable {
    public var title: String
    public var description: String?
    public var category: String
    /// Sorted, without repeats.
    public var tags: [String]
    public var location: Location
    public var attachments: [Attachment]
    /// The pseudonymous handle the intake node chose for the reporter.
    public var reporter: String

    public init(
        title: String,
        description: String? = nil,
        category: String,
        tags: [String] = [],
        location: Location,
        attachments: [Attachment] = [],
        reporter: String
    ) {
        self.title = title
        self.description = description
        self.category = category
        self.tags = Array(Set(tags)).sorted()
        self.location = location
        self.attachments = attachments
        self.reporter = reporter
    }

    init(_ fields: BodyFields) {
        title = fields.text("title")
        description = fields.string("description")
        category = fields.text("category")
        tags = fields.strings("tags") ?? []
        location = Location(fields.object["location"]?.objectValue ?? JSONObject())
        attachments = (fields.objects("attachments") ?? []).map(Attachment.init)
        reporter = fields.text("reporter")
    }

    public var json: JSONObject {
        var writer = BodyWriter()
        writer.set("title", title)
        writer.set("description", description)
        writer.set("category", category)
        if !tags.isEmpty { writer.set("tags", JSONValue.array(tags.map { .string($0) })) }
        writer.set("location", JSONValue.object(location.json))
        writer.set("attachments", Attachment.list(attachments))
        writer.set("reporter", reporter)
        return writer.object
    }
}

/// `issue.edit`: the origin replaces the fields it names.
public struct EditBody: Sendable, Equatable {
    public var title: String?
    public var description: String?
    public var category: String?
    public var tags: [String]?
    public var location: Location?

    public init(
        title: String? = nil,
        description: String? = nil,
        category: String? = nil,
        tags: [String]? = nil,
        location: Location? = nil
    ) {
        self.title = title
        self.description = description
        self.category = category
        self.tags = tags.map { Array(Set($0)).sorted() }
        self.location = location
    }

    init(_ fields: BodyFields) {
        title = fields.string("title")
        description = fields.string("description")
        category = fields.string("category")
        tags = fields.strings("tags")
        location = fields.object["location"]?.objectValue.map(Location.init)
    }

    public var json: JSONObject {
        var writer = BodyWriter()
        writer.set("title", title)
        writer.set("description", description)
        writer.set("category", category)
        writer.set("tags", tags.map { JSONValue.array($0.map { .string($0) }) })
        writer.set("location", location.map { JSONValue.object($0.json) })
        return writer.object
    }
}

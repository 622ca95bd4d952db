import CIXCanonicalJSON

/// `comment` and `solution`: free text, with photos.
public struct TextBody: Sendable, Equatable {
    public var text: String
    public var attachments: [Attachment]

    public init(text: String, attachments: [Attachment] = []) {
        self.text = text
        self.attachments = attachments
    }

    init(_ fields: BodyFields) {
        text = fields.text("text")
        attachments = (fields.objects("attachments") ?? []).map(Attachment.init)
    }

    public var json: JSONObject {
        var writer = BodyWriter()
        writer.set("text", text)
        writer.set("attachments", Attachment.list(attachments))
        return writer.object
    }
}

/// `confirm`: "I see this too", with an optional note and photos.
public struct ConfirmBody: Sendable, Equatable {
    public var note: String?
    public var attachments: [Attachment]

    public init(note: String? = nil, attachments: [Attachment] = []) {
        self.note = note
        self.attachments = attachments
    }

    init(_ fields: BodyFields) {
        note = fields.string("note")
        attachments = (fields.objects("attachments") ?? []).map(Attachment.init)
    }

    public var json: JSONObject {
        var writer = BodyWriter()
        writer.set("note", note)
        writer.set("attachments", Attachment.list(attachments))
        return writer.object
    }
}

/// `offer`: help someone offers, and when and by whom.
public struct OfferBody: Sendable, Equatable {
    public var what: String
    public var when: String?
    public var by: String?

    public init(what: String, when: String? = nil, by: String? = nil) {
        self.what = what
        self.when = when
        self.by = by
    }

    init(_ fields: BodyFields) {
        what = fields.text("what")
        when = fields.string("when")
        by = fields.string("by")
    }

    public var json: JSONObject {
        var writer = BodyWriter()
        writer.set("what", what)
        writer.set("when", when)
        writer.set("by", by)
        return writer.object
    }
}

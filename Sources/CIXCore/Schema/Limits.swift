/// The protocol's size limits (`Protocol/limits.md`). A record over any of them is refused.
public enum Limits {
    /// Largest canonical event, envelope and body together, in bytes.
    public static let maxEventBytes = 65_536
    /// Deepest nesting of arrays and objects in an event.
    public static let maxNesting = 8
    /// Most `prev` links one event may carry.
    public static let maxPrev = 16
    /// Most attachments on one event.
    public static let maxAttachments = 8
    /// Largest attachment, in bytes.
    public static let maxAttachmentBytes: Int64 = 10 * 1024 * 1024
    /// Most nodes in a partner-only audience.
    public static let maxAudience = 32
    /// Most recipients of one `route` event.
    public static let maxRecipients = 32
    /// Most tags on an issue.
    public static let maxTags = 16
    /// Largest `depth`: the number of causal steps in one issue.
    public static let maxDepth: Int64 = 1_000_000
    /// Most key statements a node keeps about one node (each new one re-folds that node's issues).
    public static let maxKeyStatements = 64
    /// The largest sealed contact (`contact`'s `ciphertext`): a contact card of at most 2,032 bytes and its 16-byte tag.
    public static let maxSealedContactBytes = 2_048
}

import CIXCore

/// A body not on CIX as a node's descriptor names it: shown as "reached by Open311 / e-mail".
package struct RelayRecord: Sendable, Equatable {
    package let name: String
    package let via: Relay.Via
    package let relayedBy: NodeID

    package init(name: String, via: Relay.Via, relayedBy: NodeID) {
        self.name = name
        self.via = via
        self.relayedBy = relayedBy
    }
}

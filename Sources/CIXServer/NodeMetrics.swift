import CIXCore
import CIXNode
import Prometheus

/// The daemon's Prometheus metrics, served at `/metrics`.
///
/// Counters are updated where things happen (requests, pushes, pulls); gauges
/// that describe the store and the peers are read from the store at each scrape.
package struct NodeMetrics: Sendable {
    package let registry = PrometheusCollectorRegistry()

    package init() {}

    func received(_ result: String) {
        registry.makeCounter(
            name: "cix_events_received_total",
            labels: [("result", result)],
            help: "Events received by push or pull, by result"
        ).increment()
    }

    func rejected(_ reason: String) {
        registry.makeCounter(
            name: "cix_events_rejected_total",
            labels: [("reason", reason)],
            help: "Received events refused, by reason code"
        ).increment()
    }

    package func pushed(_ count: Int, to peer: NodeID) {
        registry.makeCounter(
            name: "cix_events_pushed_total",
            labels: [("peer", peer.short)],
            help: "Events pushed to peers"
        ).increment(by: Int64(count))
    }

    package func pulled(_ count: Int, from peer: NodeID) {
        registry.makeCounter(
            name: "cix_events_pulled_total",
            labels: [("peer", peer.short)],
            help: "Events received by pulling from peers"
        ).increment(by: Int64(count))
    }

    package func expiredPending(_ count: Int) {
        registry.makeCounter(
            name: "cix_pending_expired_total",
            help: "Events dropped after waiting too long for their parents"
        ).increment(by: Int64(count))
    }

    /// Mails handed to the relay, or not: result sent, retrying or failed.
    package func mailed(_ count: Int, result: String) {
        guard count > 0 else { return }
        registry.makeCounter(
            name: "cix_mail_total",
            labels: [("result", result)],
            help: "Mails to residents by outcome of each attempt (sent, retrying, failed)"
        ).increment(by: Int64(count))
    }

    func request(route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            name: "cix_requests_total",
            labels: [("route", route), ("status", String(status))],
            help: "HTTP requests answered"
        ).increment()
        registry.makeDurationHistogram(
            name: "cix_request_duration_seconds",
            labels: [("route", route)],
            buckets: [
                .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(100),
                .milliseconds(500), .seconds(1), .seconds(5),
            ],
            help: "HTTP request latency"
        ).record(duration)
    }

    /// The exposition text, after refreshing the store and peer gauges.
    func render(node: LocalNode, connections: ConnectionGuard) -> [UInt8] {
        registry.makeGauge(name: "cix_connections_open", help: "Connections open on the public listener")
            .set(Int64(connections.count))
        registry.makeGauge(
            name: "cix_connections_refused",
            help: "Connections refused or evicted as over the limits, since start"
        )
        .set(Int64(connections.refused + connections.evicted))
        if let counts = try? node.store.counts() {
            registry.makeGauge(name: "cix_store_events", help: "Events in the log").set(Int64(counts.events))
            registry.makeGauge(name: "cix_store_issues", help: "Issues held").set(Int64(counts.issues))
            registry.makeGauge(name: "cix_store_pending_events", help: "Events waiting for parents").set(
                Int64(counts.pending)
            )
        }
        if node.config.mail != nil, let outbox = try? node.outboxCounts() {
            registry.makeGauge(name: "cix_mail_waiting", help: "Mails to residents waiting in the outbox")
                .set(Int64(outbox.waiting))
            registry.makeGauge(
                name: "cix_mail_oldest_waiting_seconds",
                help: "Unix time the oldest waiting mail was queued (0 when none waits)"
            )
            .set(outbox.oldestWaiting?.secondsSinceEpoch ?? 0)
        }
        registry.makeGauge(
            name: "cix_store_writes_failing_since_seconds",
            help: "Unix time since which writes fail for want of storage (0 while they succeed)"
        )
        .set(node.store.writeHealth.failure?.since.secondsSinceEpoch ?? 0)
        let last = (try? node.store.lastSequence()) ?? 0
        for peer in (try? node.store.peers()) ?? [] {
            let labels = [("peer", peer.node.short)]
            registry.makeGauge(
                name: "cix_outbox_backlog",
                labels: labels,
                help: "Log entries not yet pushed to the peer (upper bound)"
            )
            .set(Int64(max(0, last - peer.pushedThrough)))
            registry.makeGauge(name: "cix_pull_cursor", labels: labels, help: "The peer's sequence number pulled up to")
                .set(peer.cursor)
            registry.makeGauge(
                name: "cix_peer_last_contact_seconds",
                labels: labels,
                help: "Unix time of the last successful exchange"
            )
            .set(peer.lastContact?.secondsSinceEpoch ?? 0)
        }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}

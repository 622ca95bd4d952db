import CIXFederation

/// The request budget of everyone who is not a peer: unsigned clients, and
/// nodes this node does not peer with (a node id costs nothing to mint, so
/// it earns no budget of its own). Each client address has a budget, and all
/// strangers together share one, so neither many identities nor many
/// addresses can take more than the node sets aside for them.
struct StrangerLimits: Sendable {
    let perAddress: RateLimiter
    let together: RateLimiter

    init(perAddressPerMinute: Int, togetherPerMinute: Int) {
        perAddress = RateLimiter(perMinute: perAddressPerMinute, burst: max(1, perAddressPerMinute / 5))
        together = RateLimiter(perMinute: togetherPerMinute, burst: max(1, togetherPerMinute / 5))
    }

    /// Nil if the request may go ahead; otherwise the seconds to wait.
    func admit(address: String, now: Double) async -> Int? {
        if let wait = await perAddress.admit(address, now: now) { return wait }
        return await together.admit("strangers", now: now)
    }
}

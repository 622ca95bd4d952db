/// How long one read of the store may take on behalf of the request being answered.
///
/// The server sets it around the handlers of pages, the API and Open311
/// (`[store] request_query_seconds`), so that a costly query a client has long
/// given up on (a search of a national mirror under load) stops costing the
/// store, instead of holding a connection and the server's cores for minutes.
/// The PostgreSQL store has the server cancel a read that runs past it and
/// throws `StoreError.timedOut`. Unset (federation, upkeep, commands), reads are
/// bounded only by the store's own deadline. SQLite's reads, local and short,
/// are not bounded by it.
package enum StoreReadBudget {
    /// Seconds, or nil: no bound of the request's own.
    @TaskLocal package static var seconds: Int?
}

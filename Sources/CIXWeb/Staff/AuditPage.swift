import CIXStaff
import CIXStore

/// The audit trail, newest last, with whether its chain holds.
package struct AuditPage: Sendable {
    package let layout: StaffLayout
    package let entries: [AuditEntry]
    package let report: AuditTrail.Report

    package init(layout: StaffLayout, entries: [AuditEntry], report: AuditTrail.Report) {
        self.layout = layout
        self.entries = entries
        self.report = report
    }

    package func render() -> HTML {
        let items = entries.map { entry -> HTML in
            let event: HTML = entry.event.map { " · event <code>\(String($0.prefix(12)))</code>" } ?? ""
            return
                "<li><p><strong>\(entry.action)</strong> by \(entry.actor) on \(entry.subject)\(entry.detail.isEmpty ? "" : ": \(entry.detail)")</p><p class=\"meta\">#\(Int(entry.seq)) · \(Site.date(entry.at)) · from \(entry.address)\(event)</p></li>"
        }
        let chain: HTML =
            report.sound
            ? "<p class=\"notice\" role=\"status\">The chain of all \(report.entries) entries holds; head <code>\(report.head)</code>.</p>"
            : "<div class=\"problems\" role=\"alert\"><p>The audit trail is damaged: \(report.fault ?? "")</p></div>"
        return layout.page(
            title: "Audit trail",
            current: "/staff/audit",
            main: """
                <h1>Audit trail</h1>
                \(chain)
                <p>The latest \(entries.count) entries, oldest first. <code>cix audit verify</code> checks the whole chain from the shell.</p>
                <ul class="contributions">\(items)</ul>
                """
        )
    }
}

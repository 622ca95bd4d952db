import CIXCanonicalJSON
import CIXTesting
import Foundation

/// Deque's axe-core accessibility checker, run in the page by the browser: the
/// copy PyPI's `axe-playwright-python` ships (installed by `.ci/setup`; only its
/// script is used).
enum Axe {
    /// The rules checked: WCAG 2.1 A and AA, and axe's best practices.
    static let tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

    /// axe.min.js, found through Python's import machinery (without importing the package).
    static func source() async throws -> String {
        let (status, output) = try await Process.runTool(
            "python3",
            [
                "-c",
                "import importlib.util; print(importlib.util.find_spec('axe_playwright_python').submodule_search_locations[0])",
            ]
        )
        let folder = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0, let script = try? String(contentsOfFile: folder + "/axe.min.js", encoding: .utf8) else {
            throw TestFailure("axe-core is missing: pip install --no-deps axe-playwright-python (see .ci/setup)")
        }
        return script
    }

    /// The open page's violations, one line each: rule, impact, how many elements, the first few.
    static func violations(in browser: Browser, source: String) async throws -> [String] {
        try await browser.run(source + "\nreturn true;")
        let found = try await browser.runAsync(
            """
            var done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: arguments[0] } }).then(function (result) {
              done(result.violations.map(function (v) {
                return v.id + ' (' + v.impact + ', ' + v.nodes.length + '): ' +
                  v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); }).join(' | ');
              }));
            }, function (error) { done(['axe failed: ' + error]); });
            """,
            [.array(tags.map { .string($0) })]
        )
        return found.arrayValue?.compactMap(\.stringValue) ?? ["axe returned nothing"]
    }
}

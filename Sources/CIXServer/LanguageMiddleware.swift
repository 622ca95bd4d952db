import CIXNode
import CIXWeb
import HTTPTypes
import Hummingbird

/// Chooses the language of every page once, before any route runs: the
/// switcher's `?lang=`, else the visitor's remembered choice, else the
/// browser's `Accept-Language`, else the node's `[web] language`. A choice
/// made with the switcher is remembered in a cookie for a year; answers say
/// which language they are in and that they vary by what chose it.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = NodeRequestContext
    let fallback: Language

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let parameter = Self.parameter(request)
        var context = context
        context.language = Language.choose(
            parameter: parameter,
            cookie: request.cookie(Language.cookieName),
            acceptLanguage: request.headers[.acceptLanguage],
            fallback: fallback
        )
        context.pagePath = Self.pathWithoutLanguage(request)
        var response = try await next(request, context)
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[.contentLanguage] = context.language.rawValue
            response.headers[.vary] = "Accept-Language, Cookie"
            if let chosen = parameter.flatMap(Language.init) {
                // Appended: the page may set its anti-forgery cookie too.
                response.headers.append(
                    HTTPField(
                        name: .setCookie,
                        value:
                            "\(Language.cookieName)=\(chosen.rawValue); Path=/; Max-Age=31536000; Secure; SameSite=Lax"
                    )
                )
            }
        }
        return response
    }

    /// The value of `lang` in the query, if given once.
    static func parameter(_ request: Request) -> String? {
        let values = (request.uri.query ?? "").split(separator: "&").filter {
            $0.hasPrefix("\(Language.parameterName)=")
        }
        guard values.count == 1 else { return nil }
        return String(values[0].dropFirst(Language.parameterName.count + 1))
    }

    /// The path and query asked for, without `lang`: where the switcher's links lead.
    static func pathWithoutLanguage(_ request: Request) -> String {
        let kept = (request.uri.query ?? "").split(separator: "&").filter {
            !$0.hasPrefix("\(Language.parameterName)=") && $0 != Substring(Language.parameterName)
        }
        return request.uri.path + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }
}

extension Request {
    /// The value of the cookie `name`, if the request carries it.
    func cookie(_ name: String) -> String? {
        for header in headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name { return String(parts[1]) }
            }
        }
        return nil
    }
}

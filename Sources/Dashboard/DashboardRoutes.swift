import EventHTTP
import PaystackAPI
import Sandbox

/// The browser dashboard: static HTML, CSS and JavaScript built into the binary (no build step,
/// no external fetches), served under `/_sandbox/dashboard/`, and the live event stream.
public enum Dashboard {
    public static let path = "/_sandbox/dashboard/"
    /// The routes served without the admin token: the page and its files (they hold no data).
    public static let pagePatterns = ["/_sandbox/dashboard", path, path + "app.css", path + "app.js"]

    /// The page and its two files (no token: the page asks for it), `GET /` for browsers, and the
    /// event stream (token required, like every admin route).
    public static func register(in admin: inout AdminRoutes, events: EventHub) {
        admin.addWithoutToken(.GET, "/_sandbox/dashboard") { _, _ in
            var headers = HTTPHeaders()
            headers.set("Location", path)
            return HTTPResponse(status: 301, headers: headers)
        }
        admin.addWithoutToken(.GET, path) { _, _ in file(dashboardIndexText, type: "text/html; charset=utf-8") }
        admin.addWithoutToken(.GET, path + "app.css") { _, _ in file(dashboardStyleText, type: "text/css; charset=utf-8") }
        admin.addWithoutToken(.GET, path + "app.js") { _, _ in file(dashboardScriptText, type: "text/javascript; charset=utf-8") }
        // A browser opening the mock's address lands on the dashboard; API clients get Paystack's 404.
        admin.addWithoutToken(.GET, "/") { request, _ in
            guard request.headers["Accept"]?.contains("text/html") == true else {
                return PaystackError.rendering(.routeNotFound)
            }
            var headers = HTTPHeaders()
            headers.set("Location", path)
            return HTTPResponse(status: 303, headers: headers)
        }
        admin.add(.GET, "/_sandbox/events") { _, _ in events.respond() }
    }

    private static func file(_ text: String, type: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.set("Content-Type", type)
        headers.set("Cache-Control", "no-cache")
        headers.set("X-Content-Type-Options", "nosniff")
        headers.set(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        return HTTPResponse(status: 200, headers: headers, body: Array(text.utf8))
    }
}

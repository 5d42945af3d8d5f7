#if canImport(Glibc)
import Glibc
#endif

/// How the server listens and what it accepts.
public struct HTTPServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port; `HTTPServer.port` tells which.
    public var port: Int
    /// Event loops, each on its own thread with its own event base.
    public var workers: Int
    /// Largest request body accepted; larger ones get a JSON 413.
    public var maxBodySize: Int
    /// Largest header block accepted; larger ones get a JSON 400.
    public var maxHeadersSize: Int
    /// Seconds a connection may send nothing (stalled in a request, idle between requests, or not
    /// reading its answer) before it is closed; an open event stream, only when its client stops
    /// reading it that long.
    public var timeoutSeconds: Int
    /// Seconds a stopping server waits for delayed responses still pending (and the application for
    /// webhook attempts in flight): a stop takes at most this long.
    public var shutdownGraceSeconds: Int
    /// One `SO_REUSEPORT` socket per loop (the kernel spreads connections) instead of one socket
    /// shared by all loops. Off by default: a leftover server on the port then silently takes a
    /// share of the connections, where a shared socket fails loudly at start-up.
    public var reusePort: Bool
    /// A second listener on each loop that speaks HTTPS, with the same routes; nil for none.
    public var tls: TLSListener?
    /// Event streams (`EventStream`) open at once, over all loops; more are answered 429.
    public var maxEventStreams: Int
    /// Where each answered request gets a line; nil: no access log (the executable gives one at
    /// `--log-level info` and below).
    public var accessLog: AccessLog?

    /// HTTPS on `port` (0 picks a free one) with `context`.
    public struct TLSListener: Sendable {
        public var port: Int
        public var context: TLSServerContext

        public init(port: Int, context: TLSServerContext) {
            self.port = port
            self.context = context
        }
    }

    public init(
        host: String = "127.0.0.1", port: Int = 0, workers: Int = HTTPServerConfiguration.defaultWorkers,
        maxBodySize: Int = 1 << 20, maxHeadersSize: Int = 64 << 10, timeoutSeconds: Int = 30,
        shutdownGraceSeconds: Int = 3, reusePort: Bool = false, tls: TLSListener? = nil, maxEventStreams: Int = 64,
        accessLog: AccessLog? = nil
    ) {
        self.host = host
        self.port = port
        self.workers = workers
        self.maxBodySize = maxBodySize
        self.maxHeadersSize = maxHeadersSize
        self.timeoutSeconds = timeoutSeconds
        self.shutdownGraceSeconds = shutdownGraceSeconds
        self.reusePort = reusePort
        self.tls = tls
        self.maxEventStreams = maxEventStreams
        self.accessLog = accessLog
    }

    /// The number of online processors.
    public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Event loops when none are asked for: one per two cores, at least one. The mock's clients
    /// (test suites, SDKs, a browser) usually run on the same machine, so the loops leave them half
    /// the cores. On two cores shared with one wrk thread, one loop answered with a p99 of ~1 ms
    /// where two loops that both took connections gave 1.5–4 ms and cost more CPU per request. The
    /// price is peak throughput: ~10 % less against one client thread, 12–42 % less against two in
    /// one pair of runs (bench/RESULTS.md, the fifteenth session). `--workers` sets any number.
    public static var defaultWorkers: Int { max(1, coreCount / 2) }
}

import CLibevent
import Platform
#if canImport(Glibc)
import Glibc
#endif

/// A bound, listening, non-blocking TCP socket: shared by every event loop, or one per loop with
/// `SO_REUSEPORT` (see `HTTPServerConfiguration.reusePort`).
struct Listener: ~Copyable {
    let descriptor: Int32
    let port: Int

    init(host: String, port: Int, reusePort: Bool = false) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let first = found else {
            throw SystemError(call: "getaddrinfo(\(host))", code: status == EAI_SYSTEM ? errno : EINVAL)
        }
        defer { freeaddrinfo(found) }

        let fd = try systemCall("socket") { socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if reusePort {
            setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        // Linux copies TCP_NODELAY to accepted sockets. Without it the tail of a response over 16 KiB
        // (libevent's write chunk) waits for the client's delayed ACK: ~40 ms per large list page.
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        do {
            try systemCall("bind(\(host):\(port))") { bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) }
            try systemCall("listen") { listen(fd, 1024) }
        } catch {
            close(fd)
            throw error
        }
        evutil_make_socket_nonblocking(fd)
        evutil_make_socket_closeonexec(fd)
        self.descriptor = fd
        self.port = Listener.boundPort(of: fd) ?? port
    }

    deinit {
        close(descriptor)
    }

    private static func boundPort(of fd: Int32) -> Int? {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard status == 0 else { return nil }
        let family = Int32(address.ss_family)
        return withUnsafePointer(to: &address) { pointer in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }
}

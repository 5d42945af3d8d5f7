import CLibevent
import Platform

/// Where an outgoing request goes, read from an `http://` or `https://` URL by libevent's own URI
/// parser (strict mode), so that a URL accepted here is one the client can deliver to.
public struct DeliveryTarget: Sendable, Equatable {
    public let secure: Bool
    /// The host name or address, an IPv6 address without its brackets.
    public let host: String
    /// The port the URL names, nil for the scheme's default.
    public let givenPort: Int?
    /// Path and query, at least "/".
    public let target: String

    public var port: Int { givenPort ?? (secure ? 443 : 80) }

    /// The `Host` header: the port only when the URL names one, an IPv6 address in brackets.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return givenPort.map { "\(name):\($0)" } ?? name
    }

    /// Why `url` cannot be delivered to, or the target. Only printable ASCII is accepted (a host
    /// name in another script must be given in its punycode form), a host is required (without
    /// `user@`), and a port must be 1 to 65535.
    public static func parse(_ url: String) -> Result<DeliveryTarget, DeliveryTargetError> {
        guard !url.isEmpty, url.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(.init("a URL is printable ASCII without spaces (a host name in another script in its xn-- form)"))
        }
        guard let uri = evhttp_uri_parse(url) else { return .failure(.init("not a valid URL")) }
        defer { evhttp_uri_free(uri) }
        guard let scheme = evhttp_uri_get_scheme(uri).map({ String(cString: $0).asciiLowercased }),
              scheme == "http" || scheme == "https" else {
            return .failure(.init("only http:// and https:// URLs can be delivered"))
        }
        guard let hostPointer = evhttp_uri_get_host(uri), hostPointer.pointee != 0 else {
            return .failure(.init("the URL has no host"))
        }
        // The client would drop them silently; Paystack's receivers check the signature instead.
        guard evhttp_uri_get_userinfo(uri) == nil else {
            return .failure(.init("credentials in a URL (user@host) are not sent"))
        }
        // libevent's parser allows an IPvFuture literal, which nothing can connect to.
        guard !String(cString: hostPointer).hasBytePrefix("[v") else { return .failure(.init("not an IPv4 or IPv6 address")) }
        let port = Int(evhttp_uri_get_port(uri))
        // libevent reads "host:" as port 0 and a missing port as -1.
        guard port == -1 || (1...65535).contains(port) else { return .failure(.init("a port is 1 to 65535")) }
        var target = evhttp_uri_get_path(uri).map { String(cString: $0) } ?? "/"
        if target.isEmpty { target = "/" }
        if let query = evhttp_uri_get_query(uri) { target += "?" + String(cString: query) }
        // An IPv6 literal comes back in its brackets, which the connection must not be given.
        var host = String(cString: hostPointer)
        if host.hasBytePrefix("[") {
            host = String(host.utf8.dropFirst().dropLast())!
            // inet_pton, which libevent asks, lets through forms RFC 3986 does not ("1::2:", "::1.02.3.4").
            guard isIPv6Address(host) else { return .failure(.init("not an IPv6 address")) }
        }
        return .success(DeliveryTarget(secure: scheme == "https", host: host, givenPort: port == -1 ? nil : port, target: target))
    }
}

/// Whether `text` is an IPv6address of RFC 3986: eight 16-bit groups of 1 to 4 hex digits, the
/// last two of which may be a dotted IPv4 address, with one "::" standing for one or more zero groups.
func isIPv6Address(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    var sides: [ArraySlice<UInt8>] = []
    if let gap = bytes.indices.dropLast().first(where: { bytes[$0] == 58 && bytes[$0 + 1] == 58 }) {
        sides = [bytes[..<gap], bytes[(gap + 2)...]]
    } else {
        sides = [bytes[...]]
    }
    var groups = 0
    for (index, side) in sides.enumerated() where !side.isEmpty {
        let parts = side.split(separator: 58, omittingEmptySubsequences: false)
        for (position, part) in parts.enumerated() {
            let isLast = index == sides.count - 1 && position == parts.count - 1
            if isLast && part.contains(46) {
                guard isIPv4Address(part) else { return false }
                groups += 2
            } else {
                guard (1...4).contains(part.count), part.allSatisfy(isASCIIHexDigit) else { return false }
                groups += 1
            }
        }
    }
    return sides.count == 1 ? groups == 8 : groups <= 7
}

/// Whether `bytes` are four decimal octets 0 to 255 without leading zeros, joined by dots.
private func isIPv4Address(_ bytes: ArraySlice<UInt8>) -> Bool {
    let octets = bytes.split(separator: 46, omittingEmptySubsequences: false)
    return octets.count == 4 && octets.allSatisfy { octet in
        (1...3).contains(octet.count) && octet.allSatisfy(isASCIIDigit) && (octet.count == 1 || octet.first != 48)
            && Int(String(decoding: octet, as: UTF8.self))! <= 255
    }
}

public struct DeliveryTargetError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

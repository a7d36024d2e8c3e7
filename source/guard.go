package source

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrInternalAddress is wrapped by fetch errors for a URL, or a redirect
// hop, that resolves to an address on the operator's own networks:
// loopback, private (RFC 1918), link-local (cloud metadata services such
// as 169.254.169.254 live there), IPv6 unique-local, carrier-grade NAT,
// unspecified, multicast and the other special-purpose ranges. Such
// fetches are refused unless the operator allows them (FetchOptions.
// AllowPrivate, the source config's allow_private, govbot add
// --allow-private), because a page or a redirect could otherwise make
// govbot read, and quote to chat users, what only the server can reach.
var ErrInternalAddress = errors.New("internal network address refused")

// blockedPrefixes are the address ranges a public web page never has.
var blockedPrefixes = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8",       // "this network", 0.0.0.0 reaches the local host
		"10.0.0.0/8",      // private
		"100.64.0.0/10",   // carrier-grade NAT
		"127.0.0.0/8",     // loopback
		"169.254.0.0/16",  // link-local, cloud metadata (169.254.169.254)
		"172.16.0.0/12",   // private
		"192.0.0.0/24",    // IETF protocol assignments
		"192.0.2.0/24",    // documentation
		"192.88.99.0/24",  // 6to4 relay anycast
		"192.168.0.0/16",  // private
		"198.18.0.0/15",   // benchmarking
		"198.51.100.0/24", // documentation
		"203.0.113.0/24",  // documentation
		"224.0.0.0/4",     // multicast
		"240.0.0.0/4",     // reserved, broadcast
		"::/128",          // unspecified
		"::1/128",         // loopback
		"100::/64",        // discard
		"2001:db8::/32",   // documentation
		"fc00::/7",        // unique-local (fd00:ec2::254 is a metadata address)
		"fe80::/10",       // link-local
		"ff00::/8",        // multicast
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// embeddedV4 returns the IPv4 address an IPv6 address carries (IPv4-mapped,
// NAT64 64:ff9b::/96, 6to4 2002::/16), so that ::ffff:127.0.0.1 and
// 64:ff9b::a9fe:a9fe are judged as the IPv4 addresses they reach.
func embeddedV4(a netip.Addr) (netip.Addr, bool) {
	if a.Is4In6() {
		return a.Unmap(), true
	}
	if !a.Is6() {
		return netip.Addr{}, false
	}
	b := a.As16()
	switch {
	case netip.MustParsePrefix("64:ff9b::/96").Contains(a):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
	case b[0] == 0x20 && b[1] == 0x02:
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	}
	return netip.Addr{}, false
}

// InternalAddress reports whether a is an address a public web page never
// has, and which kind it is.
func InternalAddress(a netip.Addr) (kind string, internal bool) {
	if v4, ok := embeddedV4(a); ok {
		a = v4
	}
	a = a.WithZone("")
	switch {
	case !a.IsValid():
		return "invalid", true
	case a.IsLoopback():
		return "loopback", true
	case a == netip.MustParseAddr("169.254.169.254") || a == netip.MustParseAddr("fd00:ec2::254"):
		return "cloud metadata", true
	case a.IsLinkLocalUnicast():
		return "link-local", true
	case a.IsPrivate():
		return "private", true
	case netip.MustParsePrefix("100.64.0.0/10").Contains(a):
		return "carrier-grade NAT", true
	}
	for _, p := range blockedPrefixes {
		if p.Contains(a) {
			return "special-purpose", true
		}
	}
	return "", false
}

// checkDial is a net.Dialer Control function: it runs for every connection
// with the address actually dialled, after name resolution, so it covers
// every resolved address of every redirect hop (a DNS name that resolves
// to 127.0.0.1, a redirect to http://169.254.169.254/) and not just the
// URL given.
func checkDial(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("dial %s: unparsable address: %w", address, ErrInternalAddress)
	}
	if testAllowDial != nil && testAllowDial(ap) {
		return nil
	}
	if kind, bad := InternalAddress(ap.Addr()); bad {
		return fmt.Errorf("%s is a %s address (allow it with allow_private / --allow-private for intranet sites): %w", ap.Addr(), kind, ErrInternalAddress)
	}
	return nil
}

// testAllowDial, set by tests only, lets one test server through the
// guard so that a redirect from it to another internal address can be
// seen refused.
var testAllowDial func(netip.AddrPort) bool

// guardedTransport returns an HTTP transport for fetching public pages: it
// refuses internal addresses at connect time unless allowPrivate, and uses
// no proxy from the environment (a proxy would dial on our behalf, out of
// the check's sight).
func guardedTransport(allowPrivate bool) *http.Transport {
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = checkDial
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.DialContext = d.DialContext
	return t
}

var (
	publicTransport  = guardedTransport(false)
	privateTransport = guardedTransport(true)
)

// checkLiteralHost refuses a URL whose host is an internal IP literal
// before any connection, with the clearest message; names are checked
// when they are resolved (checkDial).
func checkLiteralHost(u *url.URL) error {
	a, err := netip.ParseAddr(u.Hostname())
	if err != nil {
		return nil
	}
	if kind, bad := InternalAddress(a); bad {
		return fmt.Errorf("%s is a %s address (allow it with allow_private / --allow-private for intranet sites): %w", a, kind, ErrInternalAddress)
	}
	return nil
}

// sameSite reports whether link is on host (a host name, compared without
// case and port): links found on a listing page are followed only to the
// page's own host unless the source lists others.
func sameSite(link string, hosts []string) bool {
	u, err := url.Parse(link)
	if err != nil {
		return false
	}
	h := u.Hostname()
	for _, want := range hosts {
		if want == "*" || strings.EqualFold(h, want) {
			return true
		}
	}
	return false
}

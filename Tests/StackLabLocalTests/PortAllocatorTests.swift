import Testing

@testable import StackLabLocal

#if canImport(Glibc)
import Glibc
#endif

struct PortAllocatorTests {
    /// Binds 127.0.0.1:`port` with a socket of the test's own.
    func bindable(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }

    @Test func portsAreDistinctBindableAndOutsideTheEphemeralRange() throws {
        let allocator = PortAllocator()
        let ports = try (0..<100).map { _ in try allocator.next() }
        #expect(Set(ports).count == ports.count)
        #expect(allocator.ports == Set(ports))
        for port in ports {
            #expect(bindable(port), "port \(port)")
            #expect(PortAllocator.defaultRange.contains(port))
            #expect(!PortAllocator.isEphemeral(port))
        }
    }

    @Test func aBusyPortIsNotHandedOut() throws {
        // Hold a listening socket on the only preferred port: the allocator must fall back to the kernel.
        let holder = try PortAllocator().next()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(holder).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(bound == 0 && listen(fd, 1) == 0)

        let allocator = PortAllocator(range: holder...holder, attempts: 5)
        let port = try allocator.next()
        #expect(port != holder)
        #expect(bindable(port))
    }

    @Test func theEphemeralRangeIsTakenOutOfThePreferredOne() {
        #expect(PortAllocator.subtract(32768...60999, from: 20000...32767) == [20000...32767])
        #expect(PortAllocator.subtract(30000...60999, from: 20000...32767) == [20000...29999])
        #expect(PortAllocator.subtract(10000...25000, from: 20000...32767) == [25001...32767])
        #expect(PortAllocator.subtract(21000...22000, from: 20000...32767) == [20000...20999, 22001...32767])
        #expect(PortAllocator.subtract(1024...65535, from: 20000...32767) == [])
    }
}

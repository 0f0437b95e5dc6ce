package dev.ballast.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ballast.engine.InputException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --host}: which addresses are this machine only, the warning for the others, and bad values. */
class ListenAddressTest {

    @TempDir
    Path tmp;

    @Test
    void loopbackAddressesGetNoWarning() throws Exception {
        for (String host : new String[] {"127.0.0.1", "127.0.0.2", "::1", "localhost"}) {
            InetAddress a = ListenAddress.resolve(host);
            assertTrue(ListenAddress.isLoopback(a), host);
            assertEquals(Optional.empty(), ListenAddress.exposureWarning(a, false), host);
        }
    }

    @Test
    void everyInterfaceOrANetworkAddressIsOneWarningLine() throws Exception {
        String any = ListenAddress.exposureWarning(ListenAddress.resolve("0.0.0.0"), false).orElseThrow();
        assertTrue(any.contains("every network interface"), any);
        assertTrue(any.contains("everything on those networks can reach this server"), any);
        assertTrue(any.contains("--api-key"), any);
        assertFalse(any.contains("\n"));

        String lan = ListenAddress.exposureWarning(InetAddress.getByName("192.168.1.20"), false).orElseThrow();
        assertTrue(lan.contains("192.168.1.20, not loopback: everything on that network can reach this server"), lan);
        assertTrue(lan.contains("--api-key"), lan);

        String withKey = ListenAddress.exposureWarning(InetAddress.getByName("::"), true).orElseThrow();
        assertTrue(withKey.contains("can reach this server"), withKey);
        assertFalse(withKey.contains("--api-key"), "no advice to set the key that is set: " + withKey);
        assertFalse(ListenAddress.isLoopback(InetAddress.getByName("10.0.0.1")));
    }

    @Test
    void aHostThatIsNoAddressIsAConfigErrorNamingHost() {
        for (String host : new String[] {"999.1.1.1", "no-such-host.invalid", "127.0.0.1:80", " "}) {
            InputException e = assertThrows(InputException.class, () -> ListenAddress.resolve(host), host);
            assertTrue(e.getMessage().startsWith("host "), e.getMessage());
            assertEquals("host", e.field()); // the CLI shows it as --host
            assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        }
    }

    @Test
    void aTakenPortOrAnAddressOfAnotherMachineIsABindException() throws Exception {
        try (InferenceModel model = TinyLanguageModel.open(tmp);
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            BindException inUse = assertThrows(BindException.class,
                    () -> InferenceServer.start(model, "127.0.0.1", taken.getLocalPort(), ServerLimits.DEFAULT));
            assertFalse(inUse.getMessage().contains("Exception"), inUse.getMessage());
            // TEST-NET-1 (RFC 5737): never an address of this machine
            assertThrows(BindException.class, () -> InferenceServer.start(model, "192.0.2.1", 0, ServerLimits.DEFAULT));
        }
    }
}

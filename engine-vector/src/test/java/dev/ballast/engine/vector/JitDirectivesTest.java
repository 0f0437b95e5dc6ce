package dev.ballast.engine.vector;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class JitDirectivesTest {

    @Test
    void theDirectiveIsInForceWhereTheJvmTakesDiagnosticCommands() throws Exception {
        assumeTrue(ManagementFactory.getPlatformMBeanServer()
                .isRegistered(new ObjectName("com.sun.management:type=DiagnosticCommand")), "no diagnostic commands");
        assertTrue(JitDirectives.apply(), "compilerDirectivesAdd accepted the directive");
        assertTrue(JitDirectives.apply(), "a second call keeps the first result without adding another");
    }
}

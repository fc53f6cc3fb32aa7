package io.cefiot.ingest;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.file.cluster.FileLockClusterService;

/**
 * The lock that replicas of ingest on one spool elect their reader with, named by
 * ingest.camel.yaml: a file lock in SPOOL.leader, beside the spool (Camel's file lock cluster
 * service). The lock is released when its holder dies, even by SIGKILL, and a standby tries for
 * it every second. It is kept off the spool's disk so that a full spool does not stop the
 * leader's heartbeat. The route's policy is Camel's {@code ClusteredRoutePolicy} on this lock.
 */
public class SpoolLeaderLock extends FileLockClusterService {

    public SpoolLeaderLock(String spoolDir) {
        Path spool = Path.of(spoolDir).toAbsolutePath();
        setId("cefiot-spool-lock");
        setRoot(spool.resolveSibling(spool.getFileName() + ".leader").toString());
        setAcquireLockDelay(1, TimeUnit.SECONDS);
        setAcquireLockInterval(1, TimeUnit.SECONDS);
    }

    /**
     * Declared as a bean of a route file, the lock is not among Camel's services unless a runtime
     * adds it: the route's policy asks for its view first, so it joins them then.
     */
    @Override
    public CamelClusterView getView(String namespace) throws Exception {
        CamelContext context = getCamelContext();
        if (context != null && !context.hasService(this)) {
            context.addService(this, true, true);
        }
        return super.getView(namespace);
    }
}

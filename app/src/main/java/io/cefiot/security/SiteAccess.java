package io.cefiot.security;

import io.cefiot.site.SitePlan;
import io.cefiot.site.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A site's access to the cloud cluster: its SCRAM-SHA-512 login and the ACLs that let it use
 * its own topics, consumer groups and uplink transactions, and nothing of any other site.
 *
 * <p>Topics are named {@code SITE.…}, and a site id cannot hold a dot, so the prefix
 * {@code SITE.} matches one site only. Consumer groups ({@code cefiot-SITE-STAGE}) are granted
 * one by one, since {@code cefiot-a-} would also match site {@code a-b}'s groups; the uplink's
 * transactional ids ({@code cefiot-SITE-uplink-SITE.TOPIC-PARTITION}) by the prefix up to the dot.
 *
 * <p>Revoking removes the ACLs, which the brokers check on every request, so the site's open
 * connections are refused at once, and deletes the login, so it cannot connect again. Other
 * sites are not touched.
 */
public final class SiteAccess {

    public static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_512;
    private static final int ITERATIONS = 8192;
    private static final long TIMEOUT_SECONDS = 30;

    private SiteAccess() {
    }

    /** The ACL principal of a site's user. */
    public static String principal(String user) {
        return "User:" + user;
    }

    /** Creates (or replaces) the site's login and grants its ACLs. */
    public static void grant(Admin operator, String siteId, String user, String password) {
        run("grant site " + siteId, () -> {
            operator.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(MECHANISM, ITERATIONS), password))).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            operator.createAcls(bindings(siteId, user)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        });
    }

    /** Removes every ACL of the site's user and deletes its login. */
    public static void revoke(Admin operator, String user) {
        run("revoke " + user, () -> {
            AclBindingFilter all = new AclBindingFilter(ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter(principal(user), null, AclOperation.ANY, AclPermissionType.ANY));
            operator.deleteAcls(List.of(all)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            try {
                operator.alterUserScramCredentials(List.of(new UserScramCredentialDeletion(user, MECHANISM)))
                        .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof ResourceNotFoundException)) {
                    throw e;
                }
            }
        });
    }

    /** The ACLs of a site's user: its topics, its stages' groups, its uplink's transactions. */
    static List<AclBinding> bindings(String siteId, String user) {
        List<AclBinding> bindings = new ArrayList<>();
        ResourcePattern topics = new ResourcePattern(ResourceType.TOPIC, siteId + ".", PatternType.PREFIXED);
        for (AclOperation operation : List.of(AclOperation.WRITE, AclOperation.READ, AclOperation.DESCRIBE, AclOperation.CREATE)) {
            bindings.add(allow(topics, user, operation));
        }
        List<String> groups = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            groups.add(SitePlan.groupId(siteId, stage));
        }
        groups.add(SitePlan.handoverGroupId(siteId));
        for (String group : groups) {
            ResourcePattern pattern = new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL);
            bindings.add(allow(pattern, user, AclOperation.READ));
            bindings.add(allow(pattern, user, AclOperation.DESCRIBE));
        }
        ResourcePattern transactions = new ResourcePattern(ResourceType.TRANSACTIONAL_ID,
                SitePlan.groupId(siteId, Stage.UPLINK) + "-" + siteId + ".", PatternType.PREFIXED);
        bindings.add(allow(transactions, user, AclOperation.WRITE));
        bindings.add(allow(transactions, user, AclOperation.DESCRIBE));
        return bindings;
    }

    private static AclBinding allow(ResourcePattern pattern, String user, AclOperation operation) {
        return new AclBinding(pattern, new AccessControlEntry(principal(user), "*", operation, AclPermissionType.ALLOW));
    }

    private interface AdminCall {
        void run() throws InterruptedException, ExecutionException, TimeoutException;
    }

    private static void run(String what, AdminCall call) {
        try {
            call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Cannot " + what + " on the cloud cluster: " + cause, cause);
        }
    }
}

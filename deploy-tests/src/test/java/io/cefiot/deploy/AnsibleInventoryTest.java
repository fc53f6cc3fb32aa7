package io.cefiot.deploy;

import org.junit.jupiter.api.BeforeAll;
import io.cefiot.testing.Requires;
import io.cefiot.security.Passwords;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ansible/: clean under Debian's ansible-lint (offline), and site.yml refusing an inventory that
 * cannot make a working site before it touches a host, with a message that says what to fix.
 */
class AnsibleInventoryTest {

    @BeforeAll
    static void tools() {
        Requires.debianTool("ansible-playbook", "ansible", "The Ansible checks");
        Requires.debianTool("ansible-lint", "ansible-lint", "The Ansible checks");
    }

    static Path ansible() {
        return Overlay.root().resolve("ansible");
    }

    @Test
    void the_playbooks_and_roles_pass_ansible_lint_offline() throws Exception {
        ProcessRun lint = ProcessRun.of(List.of("ansible-lint", "--offline", "--nocolor", ansible().toString()), Duration.ofMinutes(5));

        assertThat(lint.status()).as(lint.output()).isZero();
    }

    @Test
    void the_sample_inventory_passes_the_site_checks() throws Exception {
        // Only the checks: the sample's hosts do not exist (AnsibleSiteTest provisions real ones). The site's
        // cloud password comes from Ansible Vault in the sample; here as an extra var, as a vault file would give it.
        ProcessRun run = playbook(ansible().resolve("inventory-sample.yml"), "check-inventory.yml",
                "-e", "vault_cefiot_cloud_sasl_password=" + Passwords.random());

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).contains("failed=0");
    }

    @Test
    void a_bad_inventory_fails_before_touching_any_host_and_says_what_to_fix(@TempDir Path dir) throws Exception {
        String sample = Files.readString(ansible().resolve("inventory-sample.yml"));
        List<String[]> cases = List.of(
                new String[] {sample.replace("    cefiot_site_id: site-1\n", ""), "cefiot_site_id is missing or malformed (not set)"},
                new String[] {sample.replace("cefiot_site_id: site-1", "cefiot_site_id: Site One"), "cefiot_site_id is missing or malformed (Site One)"},
                new String[] {sample.replace("        edge-3:\n          ansible_host: 192.168.10.13\n", ""), "The inventory has 2 masters"},
                new String[] {sample.replace("cloud-node-1.example.net:9094,", "cloud-node-1.example.net,"), "not a host:port list"},
                new String[] {sample.replaceAll("(?s)    cefiot_admin_ssh_keys:\n      - [^\n]+\n", "    cefiot_admin_ssh_keys: []\n"),
                        "cefiot_admin_ssh_keys is empty"},
                new String[] {sample.replace("cefiot_cloud_sasl_password: \"{{ vault_cefiot_cloud_sasl_password }}\"", "cefiot_cloud_sasl_password: short"),
                        "cefiot_cloud_sasl_password is not set or shorter than 16 characters"});
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            assertThat(cases.get(i)[0]).as("case " + i + " changes the sample").isNotEqualTo(sample);
            Path inventory = Files.writeString(dir.resolve("inventory-" + i + ".yml"), cases.get(i)[0]);
            ProcessRun run = playbook(inventory, "site.yml", "-e", "vault_cefiot_cloud_sasl_password=" + Passwords.random());
            if (run.status() == 0 || !run.output().contains(cases.get(i)[1]) || !run.output().contains("ok=")) {
                problems.add("case " + i + " (expected '" + cases.get(i)[1] + "'): status " + run.status() + "\n" + run.output());
            }
            // Only the check play on localhost ran: no host of the inventory was contacted.
            assertThat(run.output()).doesNotContain("edge-1").doesNotContain("UNREACHABLE");
        }
        assertThat(problems).isEmpty();
    }

    private static ProcessRun playbook(Path inventory, String playbook, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("ansible-playbook", "-i", inventory.toString(), ansible().resolve(playbook).toString()));
        command.addAll(List.of(extra));
        return ProcessRun.of(command, Duration.ofMinutes(2));
    }
}

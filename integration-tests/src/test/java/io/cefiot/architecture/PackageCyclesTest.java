package io.cefiot.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.Test;

/**
 * The packages form layers: the data contract at the bottom, the stages' classes above it (the
 * module routes), then the runtime and the launcher (app), the local site and test helpers
 * (test-kit), the benchmarks and chaos run on top (tools). Maven keeps the modules in that order;
 * this test keeps the packages inside and across them free of cycles. A cycle between two
 * packages (the launcher and the benchmarks, the runtime and the uplink, site and kafka were
 * such) means neither can be understood, tested or moved without the other. It runs here
 * because only this module sees every module's classes.
 */
class PackageCyclesTest {

    private static final JavaClasses APPLICATION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cefiot");

    @Test
    void no_package_of_the_application_depends_on_itself_through_others() {
        slices().matching("io.cefiot.(*)..").should().beFreeOfCycles().check(APPLICATION);
    }
}

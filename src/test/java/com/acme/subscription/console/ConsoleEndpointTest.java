package com.acme.subscription.console;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * ConsoleAccess' filters are bound to {@link ConsoleEndpoint}, so they run only where it is: a
 * console resource without it would be open to anyone (its @PermitAll expects the filter to admit).
 */
class ConsoleEndpointTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.acme.subscription");

    private static final DescribedPredicate<JavaClass> UNDER_CONSOLE = new DescribedPredicate<>(
            "are resources under " + ConsoleMode.PATH) {
        @Override
        public boolean test(JavaClass item) {
            return item.tryGetAnnotationOfType(Path.class).map(Path::value)
                    .filter(path -> path.equals(ConsoleMode.PATH) || path.startsWith(ConsoleMode.PATH + "/"))
                    .isPresent();
        }
    };

    @Test
    void everyConsoleResourceIsBoundToTheConsoleFilters() {
        assertFalse(MAIN.that(UNDER_CONSOLE).isEmpty(), "no console resource found");
        classes().that(UNDER_CONSOLE).should().beAnnotatedWith(ConsoleEndpoint.class).check(MAIN);
    }
}

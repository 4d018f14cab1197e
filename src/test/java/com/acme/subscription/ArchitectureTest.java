package com.acme.subscription;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The structure of src/main (docs/architecture.md): the concept packages in layers, each
 * depending only on the ones below it, and no circle between classes either.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.acme.subscription");

    private static final String ROOT = "com.acme.subscription.";

    /** Bottom to top: a package may use the packages before it, never one after it. */
    static final List<String> LAYERS = List.of("common", "settings", "catalog", "activity", "event", "grant",
            "entitlement", "profile", "usage", "override", "coupon", "billing", "ofrep", "stats", "jobs", "webhook", "kafka",
            "console");

    static final ArchRule everyClassLivesInALayer = classes().that().resideInAPackage("com.acme.subscription..")
            .should(new ArchCondition<>("reside in one of the packages " + LAYERS) {
                @Override
                public void check(JavaClass item, ConditionEvents events) {
                    if (layer(item) < 0) {
                        events.add(SimpleConditionEvent.violated(item, item.getName() + " is in no layer"));
                    }
                }
            });

    static final ArchRule packagesDependOnlyDownward = classes().that().resideInAPackage("com.acme.subscription..")
            .should(new ArchCondition<>("depend only on its own package and the packages below it") {
                @Override
                public void check(JavaClass item, ConditionEvents events) {
                    int own = layer(item);
                    for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                        int target = layer(dependency.getTargetClass());
                        if (target > own) {
                            events.add(SimpleConditionEvent.violated(item, dependency.getDescription()));
                        }
                    }
                }
            });

    static final ArchRule noPackageCircle = slices().matching("com.acme.subscription.(*)..").should().beFreeOfCycles();

    /** Every top-level class with its nested classes is one node: no two of them need each other. */
    static final ArchRule noClassCircle = slices().assignedFrom(new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            if (!javaClass.getPackageName().startsWith("com.acme.subscription")) {
                return SliceIdentifier.ignore();
            }
            return SliceIdentifier.of(javaClass.getName().replaceAll("\\$.*", ""));
        }

        @Override
        public String getDescription() {
            return "top-level classes";
        }
    }).should().beFreeOfCycles();

    @Test
    void everyClassOfMainLivesInALayer() {
        everyClassLivesInALayer.check(MAIN);
    }

    @Test
    void packagesDependOnlyOnThePackagesBelowThem() {
        packagesDependOnlyDownward.check(MAIN);
    }

    @Test
    void noTwoPackagesNeedEachOther() {
        noPackageCircle.check(MAIN);
    }

    @Test
    void noTwoClassesNeedEachOther() {
        noClassCircle.check(MAIN);
    }

    static int layer(JavaClass type) {
        String name = type.getPackageName();
        if (!name.startsWith(ROOT)) {
            return Integer.MIN_VALUE; // the JDK and libraries: below everything
        }
        String top = name.substring(ROOT.length()).split("\\.")[0];
        return LAYERS.indexOf(top);
    }
}

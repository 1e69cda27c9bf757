package dev.cascade.local.apicurio.configindex;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Type;

import apicurio.common.app.components.config.index.DynamicPropertiesInfoRecorder;
import io.apicurio.common.apps.config.Dynamic;
import io.apicurio.common.apps.config.DynamicConfigPropertyDef;
import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import io.quarkus.arc.deployment.BeanDiscoveryFinishedBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.arc.processor.InjectionPointInfo;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.runtime.RuntimeValue;

/**
 * Publishes the list of the registry's dynamic (runtime-editable) configuration properties as a bean.
 *
 * <p>The registry injects {@code DynamicConfigPropertyList} to validate and list the properties that its admin API lets
 * an operator change at run time. Those are the fields annotated with both {@code @ConfigProperty} and
 * {@code @Dynamic} whose type is {@code Supplier<T>}; without this bean the registry fails at startup with an
 * unsatisfied dependency.
 */
final class ConfigIndexProcessor {

    private static final DotName CONFIG_PROPERTY = DotName.createSimple(ConfigProperty.class.getName());
    private static final DotName DYNAMIC = DotName.createSimple(Dynamic.class.getName());

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void dynamicConfigPropertyList(DynamicPropertiesInfoRecorder recorder, BeanDiscoveryFinishedBuildItem beanDiscovery,
            BuildProducer<SyntheticBeanBuildItem> syntheticBeans) {
        List<DynamicConfigPropertyDef> definitions = new ArrayList<>();
        for (InjectionPointInfo injectionPoint : beanDiscovery.getInjectionPoints()) {
            if (isDynamicConfigProperty(injectionPoint)) {
                definitions.add(definition(injectionPoint));
            }
        }
        RuntimeValue<DynamicConfigPropertyList> list = recorder.initializePropertiesInfo(definitions);
        // Runtime-init because the recorder runs at startup; unremovable because only the registry's own
        // beans look it up, partly programmatically.
        syntheticBeans.produce(SyntheticBeanBuildItem.configure(DynamicConfigPropertyList.class)
                .runtimeValue(list).unremovable().setRuntimeInit().done());
    }

    private static boolean isDynamicConfigProperty(InjectionPointInfo injectionPoint) {
        // @Dynamic is not a CDI qualifier, so it is only visible on the injected field itself.
        return injectionPoint.isField()
                && injectionPoint.getRequiredQualifier(CONFIG_PROPERTY) != null
                && injectionPoint.getTarget().asField().annotation(DYNAMIC) != null;
    }

    private static DynamicConfigPropertyDef definition(InjectionPointInfo injectionPoint) {
        AnnotationInstance configProperty = injectionPoint.getRequiredQualifier(CONFIG_PROPERTY);
        AnnotationInstance dynamic = injectionPoint.getTarget().asField().annotation(DYNAMIC);
        String name = configProperty.value("name").asString();
        String where = injectionPoint.getTargetInfo();

        Type injected = injectionPoint.getRequiredType();
        if (injected.kind() != Type.Kind.PARAMETERIZED_TYPE) {
            throw new IllegalStateException("@Dynamic config property '" + name + "' at " + where
                    + " must be a Supplier<T>, found " + injected);
        }
        Type valueType = injected.asParameterizedType().arguments().get(0);

        // The registry reverts a dynamic property to this value when an operator deletes the override.
        AnnotationValue defaultValue = configProperty.value("defaultValue");
        if (defaultValue == null) {
            throw new IllegalStateException("@Dynamic config property '" + name + "' at " + where
                    + " must have a defaultValue");
        }

        DynamicConfigPropertyDef definition = new DynamicConfigPropertyDef(name, load(valueType, name), defaultValue.asString());
        AnnotationValue label = dynamic.value("label");
        if (label != null) {
            definition.setLabel(label.asString());
        }
        AnnotationValue description = dynamic.value("description");
        if (description != null) {
            definition.setDescription(description.asString());
        }
        AnnotationValue requires = dynamic.value("requires");
        if (requires != null) {
            definition.setRequires(requires.asStringArray());
        }
        return definition;
    }

    private static Class<?> load(Type valueType, String propertyName) {
        try {
            return Class.forName(valueType.name().toString(), false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Cannot load the value type of @Dynamic config property '" + propertyName + "'", e);
        }
    }
}

package io.tasque.spring;

import io.tasque.worker.TaskHandler;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Finds the application's {@link TasqueHandler}s among the beans of a bean factory: beans implementing
 * {@link TaskHandler} annotated on their class or {@code @Bean} method, and annotated methods of any bean. Looking
 * ({@link #anyIn}) reads bean types only, creating nothing; collecting ({@link #collect}) gets the beans.
 */
final class HandlerScan {

    private HandlerScan() {
    }

    /** One task name's handler and where it came from, for error messages and the log. */
    record Found(String taskName, TaskHandler handler, String source) {
    }

    /** True if some bean definition of {@code factory} holds a handler; no bean is created. */
    static boolean anyIn(ConfigurableListableBeanFactory factory) {
        for (String beanName : factory.getBeanNamesForType(Object.class, true, false)) {
            Class<?> type = typeOf(factory, beanName);
            if (type == null || ScopedProxyUtils.isScopedTarget(beanName)) {
                continue; // a scoped bean's target is found through its proxy, so each handler counts once
            }
            if (factory.findAnnotationOnBean(beanName, TasqueHandler.class, false) != null
                    || !handlerMethods(type).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every handler of the application by task name, in bean definition order.
     *
     * @throws IllegalStateException if two handlers take one task name (naming both beans), or an annotated bean
     *         neither implements {@link TaskHandler} nor is a valid handler method
     */
    static Map<String, Found> collect(ConfigurableListableBeanFactory factory) {
        Map<String, Found> found = new LinkedHashMap<>();
        for (String beanName : factory.getBeanNamesForType(Object.class, true, false)) {
            Class<?> type = typeOf(factory, beanName);
            if (type == null || ScopedProxyUtils.isScopedTarget(beanName)) {
                continue; // a scoped bean's target is found through its proxy, so each handler counts once
            }
            TasqueHandler onBean = factory.findAnnotationOnBean(beanName, TasqueHandler.class, false);
            Map<Method, TasqueHandler> methods = handlerMethods(type);
            if (onBean == null && methods.isEmpty()) {
                continue;
            }
            Object bean = factory.getBean(beanName);
            if (onBean != null) {
                if (!(bean instanceof TaskHandler handler)) {
                    throw new IllegalStateException("bean '" + beanName + "' is annotated @TasqueHandler(\"" + onBean.value()
                            + "\") but does not implement io.tasque.worker.TaskHandler; implement it, or annotate a method"
                            + " taking one io.tasque.Task instead");
                }
                add(found, new Found(onBean.value(), handler, "bean '" + beanName + "'"));
            }
            for (Map.Entry<Method, TasqueHandler> e : methods.entrySet()) {
                Method invocable = AopUtils.selectInvocableMethod(e.getKey(), bean.getClass());
                add(found, new Found(e.getValue().value(), new MethodTaskHandler(beanName, bean, invocable),
                        "method " + MethodTaskHandler.describe(beanName, e.getKey())));
            }
        }
        return found;
    }

    private static void add(Map<String, Found> found, Found next) {
        Found before = found.putIfAbsent(next.taskName(), next);
        if (before != null) {
            throw new IllegalStateException("task '" + next.taskName() + "' has two handlers: " + before.source()
                    + " and " + next.source() + "; a task name may have one handler only");
        }
    }

    /** The methods of {@code type} annotated @TasqueHandler, leaving out {@code @Bean} methods (those name a bean). */
    private static Map<Method, TasqueHandler> handlerMethods(Class<?> type) {
        return MethodIntrospector.selectMethods(ClassUtils.getUserClass(type),
                (MethodIntrospector.MetadataLookup<TasqueHandler>) m -> AnnotatedElementUtils.hasAnnotation(m, Bean.class)
                        ? null : AnnotatedElementUtils.findMergedAnnotation(m, TasqueHandler.class));
    }

    private static Class<?> typeOf(ConfigurableListableBeanFactory factory, String beanName) {
        try {
            return factory.getType(beanName, false);
        } catch (RuntimeException e) {
            return null; // a type Spring cannot tell without creating the bean holds no handler we could see either
        }
    }
}

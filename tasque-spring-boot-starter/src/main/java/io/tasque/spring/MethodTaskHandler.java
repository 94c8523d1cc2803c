package io.tasque.spring;

import io.tasque.Task;
import io.tasque.worker.TaskHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.springframework.util.ReflectionUtils;

/**
 * Runs a {@link TasqueHandler} method of a bean as a {@link TaskHandler}: calls it with the task and lets what it
 * throws through unchanged, so the worker retries or dead-letters the job as it would for a lambda.
 */
final class MethodTaskHandler implements TaskHandler {

    private final Object bean;
    private final Method method;

    /**
     * @throws IllegalStateException if the method does not take exactly one {@link Task}, naming the bean and method
     */
    MethodTaskHandler(String beanName, Object bean, Method method) {
        Class<?>[] params = method.getParameterTypes();
        if (params.length != 1 || params[0] != Task.class) {
            throw new IllegalStateException("@TasqueHandler method " + describe(beanName, method)
                    + " must take exactly one io.tasque.Task parameter");
        }
        ReflectionUtils.makeAccessible(method);
        this.bean = bean;
        this.method = method;
    }

    static String describe(String beanName, Method method) {
        return "'" + method.getName() + "' of bean '" + beanName + "'";
    }

    @Override
    public void handle(Task task) throws Exception {
        try {
            method.invoke(bean, task);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return method.toGenericString();
    }
}

package dev.weft.controlplane.explain;

import dev.weft.annotation.DestinationRule;
import dev.weft.annotation.DestinationRules;
import dev.weft.annotation.PeerAuthentication;
import dev.weft.annotation.RequireMutualTls;
import dev.weft.policy.WorkloadPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The policy an application's compiled classes author with Weft's annotations, read from a
 * classes folder or a jar without running the application: every class there that carries
 * {@code @PeerAuthentication}, {@code @DestinationRule} or {@code @RequireMutualTls}.
 */
public final class CompiledPolicyClasses {
  private static final List<Class<? extends Annotation>> ANNOTATIONS = List.of(
      PeerAuthentication.class, DestinationRule.class, DestinationRules.class,
      RequireMutualTls.class);

  private CompiledPolicyClasses() {}

  /**
   * The policy the classes under {@code location} author.
   *
   * @throws IllegalArgumentException if {@code location} is neither a folder nor a jar, or the
   *     annotations are invalid (naming the class and the value)
   */
  public static WorkloadPolicy read(Path location) {
    if (!Files.isDirectory(location) && !Files.isRegularFile(location)) {
      throw new IllegalArgumentException(location + " is neither a classes folder nor a jar");
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {location.toUri().toURL()},
        CompiledPolicyClasses.class.getClassLoader())) {
      List<Class<?>> annotated = new ArrayList<>();
      for (String name : classNames(location)) {
        annotated(loader, name).ifPresent(annotated::add);
      }
      return WorkloadPolicy.fromAnnotations(annotated);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classes from " + location + ": " + e, e);
    }
  }

  private static Optional<Class<?>> annotated(ClassLoader loader, String name) {
    try {
      Class<?> type = Class.forName(name, false, loader);
      return ANNOTATIONS.stream().anyMatch(type::isAnnotationPresent)
          ? Optional.of(type) : Optional.empty();
    } catch (ClassNotFoundException | LinkageError e) {
      // A class whose superclass or interfaces are not here authors nothing we can read.
      return Optional.empty();
    }
  }

  private static List<String> classNames(Path location) throws IOException {
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.walk(location)) {
        files.filter(file -> file.toString().endsWith(".class"))
            .map(file -> location.relativize(file).toString())
            .forEach(file -> names.add(className(file.replace(location.getFileSystem()
                .getSeparator(), "/"))));
      }
    } else {
      try (JarFile jar = new JarFile(location.toFile())) {
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
          String entry = entries.nextElement().getName();
          if (entry.endsWith(".class")) {
            names.add(className(entry));
          }
        }
      }
    }
    names.removeIf(name -> name.endsWith("module-info") || name.endsWith("package-info"));
    return names;
  }

  private static String className(String file) {
    return file.substring(0, file.length() - ".class".length()).replace('/', '.');
  }
}

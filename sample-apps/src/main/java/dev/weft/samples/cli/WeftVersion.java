package dev.weft.samples.cli;

import picocli.CommandLine.IVersionProvider;

/** The version of Weft, from the jar's manifest; "development build" when run from classes. */
public final class WeftVersion implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = WeftVersion.class.getPackage().getImplementationVersion();
    return new String[] {
        "weft " + (version == null ? "(development build)" : version),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
  }
}

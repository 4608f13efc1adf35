package io.slabtrack.cluster.config;

/** Where an app's PostgreSQL database lives. One server may host all three apps' databases. */
public record PgSettings(String host, int port, String user, String password, String database) {

  public PgSettings withDatabase(String name) {
    return new PgSettings(host, port, user, password, name);
  }

  public PgSettings withServer(String newHost, int newPort, String newUser, String newPassword) {
    return new PgSettings(newHost, newPort, newUser, newPassword, database);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return user + "@" + host + ":" + port + "/" + database;
  }
}

package io.cefiot.console;

import java.io.IOException;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

/**
 * The JAAS login Hawtio performs for the console realm: checks the name and password against the
 * configured {@link ConsoleUsers} (handed over in the module's options) and gives a
 * successful login the console's role.
 */
public class ConsoleLoginModule implements LoginModule {

    static final String USERS_OPTION = "users";

    private Subject subject;
    private CallbackHandler callbacks;
    private ConsoleUsers users;
    private String user;

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
        this.callbacks = callbackHandler;
        this.users = (ConsoleUsers) options.get(USERS_OPTION);
    }

    @Override
    public boolean login() throws LoginException {
        NameCallback name = new NameCallback("user");
        PasswordCallback password = new PasswordCallback("password", false);
        try {
            callbacks.handle(new Callback[] {name, password});
        } catch (IOException | UnsupportedCallbackException e) {
            throw new LoginException("Cannot read the credentials: " + e.getMessage());
        }
        char[] given = password.getPassword() == null ? new char[0] : password.getPassword();
        try {
            if (!users.matches(name.getName(), given)) {
                throw new FailedLoginException("Wrong user or password");
            }
        } finally {
            password.clearPassword();
        }
        user = name.getName();
        return true;
    }

    @Override
    public boolean commit() {
        subject.getPrincipals().add(new ConsoleUser(user));
        subject.getPrincipals().add(new ConsoleRole(ConsoleServer.ROLE));
        return true;
    }

    @Override
    public boolean abort() {
        user = null;
        return true;
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeIf(p -> p instanceof ConsoleUser || p instanceof ConsoleRole);
        return true;
    }
}

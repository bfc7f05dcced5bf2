package dev.s3music.model.memory;

import dev.s3music.model.auth.LoginThrottle;
import dev.s3music.model.auth.LoginThrottleContractTest;
import dev.s3music.model.auth.ThrottlePolicy;

class InMemoryLoginThrottleContractTest extends LoginThrottleContractTest {
    @Override
    protected LoginThrottle newThrottle(ThrottlePolicy policy) {
        return new InMemoryLoginThrottle(policy);
    }
}

-- One database per service (devstack.stack.SERVICE_DATABASES); run once by the postgres image
-- on an empty volume (compose.yaml mounts it into /docker-entrypoint-initdb.d).
CREATE DATABASE assessment;
CREATE DATABASE payments;
CREATE DATABASE care_plans;
CREATE DATABASE notifications;
CREATE DATABASE portal;

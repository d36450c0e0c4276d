-- One database per stateful subgraph (docker-compose's postgres runs this on first start).
CREATE DATABASE urr_auth;
CREATE DATABASE urr_catalog;
CREATE DATABASE urr_ticket;
CREATE DATABASE urr_payment;
CREATE DATABASE urr_stats;
CREATE DATABASE urr_community;
